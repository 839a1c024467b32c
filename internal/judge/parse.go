package judge

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/summarize-dev/summarize/internal/llm"
)

// The judge's scale.
const (
	MinScore = 1
	MaxScore = 5
)

// ErrNoScore is returned by ParseScore for a reply that holds no score.
var ErrNoScore = errors.New("no score in the reply")

var (
	// scaleText is the scale itself ("1-5", "(1 to 5)"), blanked out before
	// looking for the score so that "Coherence (1-5): 4" reads 4, not 1.
	scaleText = regexp.MustCompile(`(?i)\(?\b1\s*(?:-|–|—|to)\s*5\b\)?`)
	// labeled is a score after a label: "Score: 4", "**Rating:** 4.5",
	// "- Coherence: 3", "score of 4/5".
	labeled = regexp.MustCompile(`(?i)\b(?:score|rating|rate|grade|overall|coherence|consistency|fluency|relevance)\b[^\d\n]{0,24}?` + number + fraction)
	// fractional is "4/5" or "4 out of 5" anywhere.
	fractional = regexp.MustCompile(`(?i)` + number + `\s*(?:/|out of)\s*(\d+)\b`)
	// bare is any standalone number.
	bare = regexp.MustCompile(`(?:^|[^\w.])` + number + `(?:[^\w]|$)`)
)

const (
	number   = `(\d+(?:\.\d+)?)`
	fraction = `(?:\s*(?:/|out of)\s*(\d+)\b)?`
)

// ParseScore finds the 1–5 score in a judge's reply and the byte offset of
// its first digit. It reads, in turn: the last score after a label
// ("Score: 4", "Rating: 4.5", "- Coherence: 3", "**Score:** 4"), the last
// fraction of 5 ("4/5", "4 out of 5"), and a reply with a single number
// in it ("4", "**4**"). A <think> block is skipped. A score outside 1–5, or
// a fraction of anything but 5, is an error, not a reason to look further.
func ParseScore(reply string) (score float64, at int, err error) {
	start := 0
	if i := strings.LastIndex(reply, "</think>"); i >= 0 {
		start = i + len("</think>")
	}
	text := blank(reply[start:], scaleText)

	if ms := labeled.FindAllStringSubmatchIndex(text, -1); len(ms) > 0 {
		m := ms[len(ms)-1]
		return check(text, m[2], m[3], m[4], m[5], start)
	}
	if ms := fractional.FindAllStringSubmatchIndex(text, -1); len(ms) > 0 {
		m := ms[len(ms)-1]
		return check(text, m[2], m[3], m[4], m[5], start)
	}
	ms := bare.FindAllStringSubmatchIndex(text, -1)
	distinct := map[string]bool{}
	for _, m := range ms {
		distinct[text[m[2]:m[3]]] = true
	}
	if len(distinct) == 1 {
		return check(text, ms[0][2], ms[0][3], -1, -1, start)
	}
	if len(distinct) > 1 {
		return 0, -1, fmt.Errorf("%w: %d different numbers and no \"Score:\" label", ErrNoScore, len(distinct))
	}
	return 0, -1, ErrNoScore
}

// check parses text[i:j] as a score (of text[di:dj] when di >= 0) and
// checks it is on the scale.
func check(text string, i, j, di, dj, offset int) (float64, int, error) {
	s, err := strconv.ParseFloat(text[i:j], 64)
	if err != nil {
		return 0, -1, fmt.Errorf("%w: %q", ErrNoScore, text[i:j])
	}
	if di >= 0 && text[di:dj] != strconv.Itoa(MaxScore) {
		return 0, -1, fmt.Errorf("score %s/%s: not on the %d-%d scale", text[i:j], text[di:dj], MinScore, MaxScore)
	}
	if s < MinScore || s > MaxScore {
		return 0, -1, fmt.Errorf("score %s: not on the %d-%d scale", text[i:j], MinScore, MaxScore)
	}
	return s, offset + i, nil
}

// blank replaces the matches of re in s with spaces, keeping offsets.
func blank(s string, re *regexp.Regexp) string {
	return re.ReplaceAllStringFunc(s, func(m string) string { return strings.Repeat(" ", len(m)) })
}

// Weighted is G-Eval's score: the probability-weighted mean of the score
// tokens "1".."5" among the top logprobs at the token of reply that holds
// the sampled score, whose digit is at byte offset at. ok is false when
// that token is not a lone digit or has no score token among its top
// logprobs; the caller then keeps the sampled score.
func Weighted(reply string, tokens []llm.TokenLogprob, at int) (mean float64, ok bool) {
	i := tokenAt(reply, tokens, at)
	if i < 0 {
		return 0, false
	}
	var sum, weighted float64
	for _, c := range tokens[i].Top {
		if !isDigit(c.Token) {
			continue
		}
		p := math.Exp(c.Logprob)
		sum += p
		weighted += p * float64(strings.TrimSpace(c.Token)[0]-'0')
	}
	if sum == 0 || math.IsNaN(weighted) {
		return 0, false
	}
	return weighted / sum, true
}

// tokenAt finds the token whose text covers byte offset at of reply, when
// it is a lone score digit. When the tokens do not spell the reply byte for
// byte (some servers normalise it), the first token that is the same digit
// stands in.
func tokenAt(reply string, tokens []llm.TokenLogprob, at int) int {
	if at < 0 || at >= len(reply) {
		return -1
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteString(t.Token)
	}
	if b.String() == reply {
		pos := 0
		for i, t := range tokens {
			if at >= pos && at < pos+len(t.Token) {
				if isDigit(t.Token) {
					return i
				}
				return -1
			}
			pos += len(t.Token)
		}
		return -1
	}
	for i, t := range tokens {
		if isDigit(t.Token) && strings.TrimSpace(t.Token)[0] == reply[at] {
			return i
		}
	}
	return -1
}

func isDigit(tok string) bool {
	t := strings.TrimSpace(tok)
	return len(t) == 1 && t[0] >= '0'+MinScore && t[0] <= '0'+MaxScore
}
