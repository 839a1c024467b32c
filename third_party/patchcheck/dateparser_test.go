package patchcheck

import (
	"testing"
	"time"

	dateparser "github.com/markusmobius/go-dateparser"
)

// The patched go-dateparser builds its 205 locale tables on first use
// (internal/data/zz-lazy.go) and compiles their regexps on first use
// (internal/regexp). A locale the loader skipped would have an empty
// table, and a pattern kept as a string but never compiled would not
// match: either way, these dates would not parse. The subtests run in
// parallel, so the first use, which builds the tables, is concurrent
// (go test -race checks the sync.Once).
func TestParsePatchedDateparser(t *testing.T) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		cfg    dateparser.Configuration
		in     string
		want   time.Time
		locale string // the locale the parser says it used
	}{
		{name: "en, detected", in: "6 July 2020", want: day(2020, 7, 6), locale: "en"},
		{name: "es", cfg: langs("es"), in: "5 de marzo de 2024", want: day(2024, 3, 5), locale: "es"},
		{name: "de", cfg: langs("de"), in: "12. März 2023", want: day(2023, 3, 12), locale: "de"},
		{name: "fr", cfg: langs("fr"), in: "3 janvier 2022", want: day(2022, 1, 3), locale: "fr"},
		{name: "pt-PT, a territory table merged over pt", cfg: locales("pt-PT"), in: "10 de outubro de 2019", want: day(2019, 10, 10), locale: "pt-PT"},
		{name: "ru, Cyrillic", cfg: langs("ru"), in: "1 января 2020", want: day(2020, 1, 1), locale: "ru"},
		{name: "zh", cfg: locales("zh"), in: "2021年5月17日", want: day(2021, 5, 17), locale: "zh"},
		{name: "ja", cfg: langs("ja"), in: "2021年5月17日", want: day(2021, 5, 17), locale: "ja"},
		{name: "zh-Hans, a script table (zh-hans.go), relative", cfg: locales("zh-Hans"), in: "3天前", want: now.AddDate(0, 0, -3), locale: "zh-Hans"},
		{name: "sr-Latn, a script table (sr-latn.go)", cfg: locales("sr-Latn"), in: "5. mart 2024.", want: day(2024, 3, 5), locale: "sr-Latn"},
		{name: "es, relative (regexps of the table)", cfg: langs("es"), in: "hace 3 días", want: now.AddDate(0, 0, -3), locale: "es"},
		{name: "de, relative", cfg: langs("de"), in: "vor 2 Tagen", want: now.AddDate(0, 0, -2), locale: "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := tt.cfg
			cfg.CurrentTime = now
			cfg.DefaultTimezone = time.UTC
			got, err := dateparser.Parse(&cfg, tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error = %v", tt.in, err)
			}
			if !got.Time.Equal(tt.want) || got.Locale != tt.locale {
				t.Errorf("Parse(%q) = %v in locale %q, want %v in %q", tt.in, got.Time, got.Locale, tt.want, tt.locale)
			}
		})
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func langs(l ...string) dateparser.Configuration   { return dateparser.Configuration{Languages: l} }
func locales(l ...string) dateparser.Configuration { return dateparser.Configuration{Locales: l} }
