package eval

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/summarize-dev/summarize/internal/jsonl"
)

// appendRecord appends the JSON line of rec (without its newline) to dst:
// what jsonl.Marshal(rec) writes, byte for byte (TestAppendRecordMatchesMarshal
// fills every field of Record to hold it to that), without reflection. A
// value Marshal refuses (a NaN, a detail that is not JSON) is an error here
// too.
func appendRecord(dst []byte, rec *Record) ([]byte, error) {
	var err error
	str := func(key, s string, omitEmpty bool) {
		if omitEmpty && s == "" {
			return
		}
		dst = append(dst, key...)
		dst = jsonl.AppendString(dst, s)
	}
	num := func(key string, n int, omitEmpty bool) {
		if omitEmpty && n == 0 {
			return
		}
		dst = append(dst, key...)
		dst = strconv.AppendInt(dst, int64(n), 10)
	}
	float := func(key string, f float64) {
		dst = append(dst, key...)
		if err == nil {
			dst, err = jsonl.AppendFloat(dst, f)
		}
	}
	list := func(key string, l []string, omitEmpty bool) {
		if omitEmpty && len(l) == 0 {
			return
		}
		dst = append(dst, key...)
		dst = jsonl.AppendStrings(dst, l)
	}
	object := func(key string, n int, add func() ([]byte, error)) {
		if n == 0 || err != nil {
			return
		}
		dst = append(dst, key...)
		dst, err = add()
	}
	boolean := func(key string, b bool) {
		dst = append(dst, key...)
		dst = strconv.AppendBool(dst, b)
	}

	dst = append(dst, '{')
	str(`"case":`, rec.Case, false)
	num(`,"index":`, rec.Index, false)
	str(`,"title":`, rec.Title, true)
	str(`,"variant":`, rec.Variant, false)
	num(`,"repeat":`, rec.Repeat, false)
	str(`,"status":`, rec.Status, false)
	list(`,"reasons":`, rec.Reasons, true)
	list(`,"bullets":`, rec.Bullets, false)
	list(`,"reference":`, rec.Reference, false)
	list(`,"leftovers":`, rec.Leftovers, true)
	list(`,"violations":`, rec.Violations, true)
	boolean(`,"contract_ok":`, rec.ContractOK)
	if len(rec.Leaks) > 0 {
		dst = append(dst, `,"leaks":[`...)
		for i, l := range rec.Leaks {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = strconv.AppendInt(dst, int64(l), 10)
		}
		dst = append(dst, ']')
	}
	object(`,"scores":`, len(rec.Scores), func() ([]byte, error) { return jsonl.AppendMap(dst, rec.Scores, jsonl.AppendFloat) })
	object(`,"parts":`, len(rec.Parts), func() ([]byte, error) {
		return jsonl.AppendMap(dst, rec.Parts, func(b []byte, m map[string]float64) ([]byte, error) {
			return jsonl.AppendMap(b, m, jsonl.AppendFloat)
		})
	})
	object(`,"details":`, len(rec.Details), func() ([]byte, error) { return jsonl.AppendMap(dst, rec.Details, appendRaw) })
	str(`,"model":`, rec.Model, true)
	str(`,"prompt":`, rec.Prompt, true)
	num(`,"prompt_tokens":`, rec.PromptTokens, false)
	num(`,"completion_tokens":`, rec.CompletionTokens, false)
	float(`,"cost":`, rec.Cost)
	if rec.Cached {
		boolean(`,"cached":`, true)
	}
	str(`,"source":`, rec.Source, false)
	str(`,"group":`, rec.Group, true)
	str(`,"system":`, rec.System, true)
	object(`,"human":`, len(rec.Human), func() ([]byte, error) { return jsonl.AppendMap(dst, rec.Human, jsonl.AppendFloat) })
	num(`,"attempts":`, rec.Attempts, true)
	float(`,"latency_ms":`, rec.LatencyMS)
	str(`,"error":`, rec.Error, true)
	str(`,"raw":`, rec.Raw, true)
	dst = append(dst, '}')
	return dst, err
}

// appendRaw appends raw JSON as encoding/json writes a json.RawMessage:
// compacted, null when nil, an error when it is not JSON.
func appendRaw(dst []byte, raw json.RawMessage) ([]byte, error) {
	if raw == nil {
		return append(dst, "null"...), nil
	}
	buf := bytes.NewBuffer(dst)
	if err := json.Compact(buf, raw); err != nil {
		return dst, err
	}
	return buf.Bytes(), nil
}
