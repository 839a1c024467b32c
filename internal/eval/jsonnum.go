package eval

import (
	"encoding/json"
	"math"
)

// jnum is a float64 that encodes NaN and infinities as null: JSON has no
// such numbers, and a mean over no cases is not zero.
type jnum float64

func (x jnum) MarshalJSON() ([]byte, error) {
	f := float64(x)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return json.Marshal(f)
}

func (x *jnum) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*x = jnum(math.NaN())
		return nil
	}
	var f float64
	err := json.Unmarshal(b, &f)
	*x = jnum(f)
	return err
}

type metricStatJSON struct {
	Mean   jnum `json:"mean"`
	Lo     jnum `json:"ci_lo"`
	Hi     jnum `json:"ci_hi"`
	N      int  `json:"n"`
	StdDev jnum `json:"stddev"`
}

// MarshalJSON encodes NaN (no scores) as null.
func (s MetricStat) MarshalJSON() ([]byte, error) {
	return json.Marshal(metricStatJSON{jnum(s.Mean), jnum(s.Lo), jnum(s.Hi), s.N, jnum(s.StdDev)})
}

// UnmarshalJSON reads null as NaN.
func (s *MetricStat) UnmarshalJSON(b []byte) error {
	var j metricStatJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = MetricStat{float64(j.Mean), float64(j.Lo), float64(j.Hi), j.N, float64(j.StdDev)}
	return nil
}

// MarshalJSON encodes NaN and infinite values as null.
func (c Comparison) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Metric     string `json:"metric"`
		A          string `json:"a"`
		B          string `json:"b"`
		Baseline   bool   `json:"baseline,omitempty"`
		N          int    `json:"n"`
		MeanA      jnum   `json:"mean_a"`
		MeanB      jnum   `json:"mean_b"`
		MeanDiff   jnum   `json:"mean_diff"`
		Lo         jnum   `json:"ci_lo"`
		Hi         jnum   `json:"ci_hi"`
		P          jnum   `json:"p"`
		EffectSize jnum   `json:"effect_size"`
		Method     string `json:"method"`
	}{c.Metric, c.A, c.B, c.Baseline, c.N, jnum(c.MeanA), jnum(c.MeanB), jnum(c.MeanDiff),
		jnum(c.Lo), jnum(c.Hi), jnum(c.P), jnum(c.EffectSize), c.Method})
}

// MarshalJSON encodes NaN values as null and adds the gate's label.
func (g GateResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Gate        string `json:"gate"`
		Name        string `json:"name"`
		Metric      string `json:"metric,omitempty"`
		Variant     string `json:"variant,omitempty"`
		Value       jnum   `json:"value"`
		Threshold   jnum   `json:"threshold"`
		P           jnum   `json:"p,omitempty"`
		Covered     int    `json:"covered"`
		Total       int    `json:"total"`
		MinCoverage jnum   `json:"min_coverage"`
		Pass        bool   `json:"pass"`
		Skipped     bool   `json:"skipped,omitempty"`
		Message     string `json:"message"`
	}{g.Gate, g.Name(), g.Metric, g.Variant, jnum(g.Value), jnum(g.Threshold), jnum(g.P),
		g.Covered, g.Total, jnum(g.MinCoverage), g.Pass, g.Skipped, g.Message})
}

// MarshalJSON encodes NaN values as null.
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Mean jnum `json:"mean"`
		P50  jnum `json:"p50"`
		P95  jnum `json:"p95"`
	}{jnum(s.Mean), jnum(s.P50), jnum(s.P95)})
}

// MarshalJSON encodes NaN values (a level that could not be computed, an
// interval without resamples) as null.
func (m MetaRow) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Human   string  `json:"human"`
		Metric  string  `json:"metric"`
		Level   string  `json:"level"`
		Coef    string  `json:"coef"`
		Value   jnum    `json:"value"`
		CI      [2]jnum `json:"ci"`
		N       int     `json:"n"`
		Skipped int     `json:"skipped,omitempty"`
		Reason  string  `json:"reason,omitempty"`
	}{m.Human, m.Metric, m.Level, m.Coef, jnum(m.Value), [2]jnum{jnum(m.CI[0]), jnum(m.CI[1])}, m.N, m.Skipped, m.Reason})
}
