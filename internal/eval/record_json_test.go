package eval

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/summarize-dev/summarize/internal/jsonl"
)

// recordFiller fills a Record's fields with random values through
// reflection, so that a field added to Record later is filled too (or the
// test stops, naming a kind it cannot fill).
type recordFiller struct {
	t   *testing.T
	rng *rand.Rand
}

var recordPieces = []string{"", "a", "Storm", " ", "\n", "\t", "\"", "\\", "<b>", "&", "\x01", "\x7f", "é", "“", "\u2028", "\u2029", "\xff", "😀", "contract: words"}

func (f recordFiller) str() string {
	var b strings.Builder
	for range f.rng.IntN(6) {
		b.WriteString(recordPieces[f.rng.IntN(len(recordPieces))])
	}
	return b.String()
}

func (f recordFiller) float() float64 {
	switch f.rng.IntN(6) {
	case 0:
		return 0
	case 1:
		return f.rng.Float64()
	case 2:
		return f.rng.NormFloat64() * math.Pow(10, float64(f.rng.IntN(50)-25))
	case 3:
		return float64(f.rng.IntN(1000))
	case 4:
		return math.Copysign(0, -1)
	}
	return math.Float64frombits(f.rng.Uint64()&^(0x7ff<<52) | uint64(f.rng.IntN(0x7ff))<<52) // finite
}

func (f recordFiller) fill(v reflect.Value, path string) {
	if f.rng.IntN(5) == 0 {
		return // the zero value: nil, "", 0, false
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.str())
	case reflect.Int:
		v.SetInt(int64(f.rng.IntN(2000) - 100))
	case reflect.Float64:
		v.SetFloat(f.float())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			raws := []string{`{"a": [1, 2 ,3], "b" : "x y"}`, `[]`, `"contract: words"`, ` 0.5 `, `null`, `{"k":{"n":[true,false]}}`}
			v.SetBytes([]byte(raws[f.rng.IntN(len(raws))]))
			return
		}
		n := f.rng.IntN(4)
		v.Set(reflect.MakeSlice(v.Type(), n, n))
		for i := range n {
			f.fill(v.Index(i), path+"[]")
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range f.rng.IntN(6) {
			k := reflect.New(v.Type().Key()).Elem()
			f.fill(k, path+".key")
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(e, path+".value")
			v.SetMapIndex(k, e)
		}
	default:
		f.t.Fatalf("Record%s: the test cannot fill a %s; teach it and appendRecord", path, v.Type())
	}
}

// appendRecord writes what jsonl.Marshal writes for records with every
// field filled at random, zero values and special strings and numbers
// included, and fails where Marshal fails.
func TestAppendRecordMatchesMarshal(t *testing.T) {
	f := recordFiller{t, rand.New(rand.NewPCG(11, 12))}
	typ := reflect.TypeFor[Record]()
	for i := range 20000 {
		var rec Record
		v := reflect.ValueOf(&rec).Elem()
		for k := range typ.NumField() {
			if i == 0 {
				continue // the zero record
			}
			f.fill(v.Field(k), "."+typ.Field(k).Name)
		}
		want, wantErr := jsonl.Marshal(&rec)
		got, gotErr := appendRecord([]byte("x"), &rec)
		if (gotErr != nil) != (wantErr != nil) {
			t.Fatalf("record %d: appendRecord error %v, Marshal error %v", i, gotErr, wantErr)
		}
		if wantErr == nil && string(got[1:]) != string(want) {
			t.Fatalf("record %d:\nappendRecord: %s\nMarshal:      %s", i, got[1:], want)
		}
	}
	for _, bad := range []func(*Record){
		func(r *Record) { r.Cost = math.NaN() },
		func(r *Record) { r.LatencyMS = math.Inf(1) },
		func(r *Record) { r.Scores = map[string]float64{"rouge1": math.NaN()} },
		func(r *Record) { r.Parts = map[string]map[string]float64{"rouge1": {"p": math.Inf(-1)}} },
		func(r *Record) { r.Human = map[string]float64{"x": math.NaN()} },
		func(r *Record) { r.Details = map[string]json.RawMessage{"x": json.RawMessage(`{`)} },
		func(r *Record) { r.Details = map[string]json.RawMessage{"x": {}} },
	} {
		var rec Record
		bad(&rec)
		if _, err := jsonl.Marshal(&rec); err == nil {
			t.Fatalf("Marshal(%+v): no error", rec)
		}
		if _, err := appendRecord(nil, &rec); err == nil {
			t.Errorf("appendRecord(%+v): no error, Marshal gives one", rec)
		}
	}
}

// BenchmarkEncodeRecord encodes the record of a scored news case (default
// metrics) with encoding/json (jsonl.Marshal) and with appendRecord.
func BenchmarkEncodeRecord(b *testing.B) {
	path := writeCases(b, newsCases(b, 1))
	s, err := ParseSuite(strings.TrimSuffix(path, "data.jsonl")+"suite.yaml", []byte("dataset: data.jsonl\nvariants:\n  - name: llm\n    backend: openai\n"), LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ss, err := newScorers(s.Metrics, s.Contract)
	if err != nil {
		b.Fatal(err)
	}
	c := newsCases(b, 1)[0]
	out, _ := firstWords(b.Context(), c, 0)
	rec := &Record{Case: c.ID, Variant: "llm", Bullets: out.Bullets, Reference: c.Reference, Model: "fake-50ms",
		PromptTokens: 900, CompletionTokens: 40, Source: SourceLive, LatencyMS: 50.512, Attempts: 1, Status: StatusPass}
	score(rec, c, out, ss)
	b.Run("jsonl.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := jsonl.Marshal(rec); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("appendRecord", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := appendRecord(make([]byte, 0, 1024), rec); err != nil {
				b.Fatal(err)
			}
		}
	})
}
