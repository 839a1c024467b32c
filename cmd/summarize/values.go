package main

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"

	"github.com/summarize-dev/summarize/config"
)

var durationType = reflect.TypeOf(time.Duration(0))

// decodeValue turns a value as YAML (or a --set flag) wrote it into the
// type of the config key it sets, with one rule for every key: a bare
// number for a duration is seconds, a whole-number key takes no fraction,
// and a mistake reads as a sentence ("want a whole number, got 3.5").
func decodeValue(raw any, typ reflect.Type) (any, error) {
	switch {
	case typ == durationType:
		switch x := raw.(type) {
		case int:
			return time.Duration(x) * time.Second, nil
		case float64:
			return time.Duration(x * float64(time.Second)), nil
		case string:
			if f, err := strconv.ParseFloat(x, 64); err == nil {
				return time.Duration(f * float64(time.Second)), nil
			}
			if d, err := time.ParseDuration(x); err == nil {
				return d, nil
			}
		}
		return nil, fmt.Errorf("want a duration such as 30s, 2m or a number of seconds, got %s", shown(raw))
	}
	switch typ.Kind() {
	case reflect.String:
		switch raw.(type) {
		case string, int, float64, bool:
			return fmt.Sprint(raw), nil
		}
		return nil, fmt.Errorf("want text, got %s", shown(raw))
	case reflect.Int, reflect.Int64:
		switch x := raw.(type) {
		case int:
			return x, nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int(x), nil
			}
		case string:
			if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
				return n, nil
			}
		}
		return nil, fmt.Errorf("want a whole number, got %s", shown(raw))
	case reflect.Float64:
		switch x := raw.(type) {
		case int:
			return float64(x), nil
		case float64:
			return x, nil
		case string:
			if f, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
				return f, nil
			}
		}
		return nil, fmt.Errorf("want a number, got %s", shown(raw))
	case reflect.Bool:
		switch x := raw.(type) {
		case bool:
			return x, nil
		case string:
			if b, err := strconv.ParseBool(strings.TrimSpace(x)); err == nil {
				return b, nil
			}
		}
		return nil, fmt.Errorf("want true or false, got %s", shown(raw))
	case reflect.Slice:
		if typ.Elem().Kind() == reflect.String {
			switch x := raw.(type) {
			case nil:
				return []string{}, nil
			case string:
				return splitList(x), nil
			case []any:
				out := make([]string, 0, len(x))
				for _, e := range x {
					switch e.(type) {
					case string, int, float64, bool:
						out = append(out, fmt.Sprint(e))
					default:
						return nil, fmt.Errorf("want a list of text, got %s in it", shown(e))
					}
				}
				return out, nil
			}
			return nil, fmt.Errorf("want a list, got %s", shown(raw))
		}
		if typ == reflect.TypeOf([]config.Model{}) {
			var ms []config.Model
			dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{Result: &ms, ErrorUnused: true})
			if err != nil {
				return nil, err
			}
			if err := dec.Decode(raw); err != nil {
				return nil, fmt.Errorf("want a list of {name, context_window, max_output, input_price, output_price}: %s", oneLine(err))
			}
			return raw, nil // viper decodes the list itself
		}
	}
	return nil, fmt.Errorf("cannot be set here")
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func shown(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case nil:
		return "nothing"
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	}
	return fmt.Sprint(v)
}
