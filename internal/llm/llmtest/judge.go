package llmtest

import (
	"math"
	"regexp"
	"strconv"
)

// DefaultJudgeScore is the score fake-judge gives when the prompt asks for
// none (see JudgeScore).
const DefaultJudgeScore = 4

var judgeScoreHint = regexp.MustCompile(`\bfake-score=([1-5])\b`)

// JudgeScore is the score the judge scenarios give req: the N of a
// "fake-score=N" (1 to 5) anywhere in its messages, the last one winning,
// else DefaultJudgeScore. A test puts the hint in an article or a bullet to
// make the fake judge grade it.
func JudgeScore(req ChatRequest) int {
	score := DefaultJudgeScore
	for _, m := range req.Messages {
		for _, sm := range judgeScoreHint.FindAllStringSubmatch(m.Content, -1) {
			score, _ = strconv.Atoi(sm[1])
		}
	}
	return score
}

// JudgeLogprobs is the top_logprobs fake-judge-logprobs sends at the
// score token for a sampled score s: s with probability 0.6, the next
// score up (down from 5) with 0.4, so the weighted mean is s+0.4 (4.6 for
// 5). Use JudgeMean for the figure.
func JudgeLogprobs(s int) []TopLogprob {
	other := s + 1
	if s == 5 {
		other = 4
	}
	return []TopLogprob{
		{Token: strconv.Itoa(s), Logprob: math.Log(0.6)},
		{Token: strconv.Itoa(other), Logprob: math.Log(0.4)},
		{Token: "Score", Logprob: math.Log(1e-9)}, // not a score: ignored
	}
}

// JudgeMean is the probability-weighted score of JudgeLogprobs(s).
func JudgeMean(s int) float64 {
	if s == 5 {
		return 0.6*5 + 0.4*4
	}
	return 0.6*float64(s) + 0.4*float64(s+1)
}

func judgeReply(req ChatRequest, withLogprobs bool) Reply {
	s := JudgeScore(req)
	digit := strconv.Itoa(s)
	r := Reply{Content: "Score: " + digit}
	if withLogprobs {
		r.Logprobs = []TokenLogprob{
			{Token: "Score", Logprob: -0.01, TopLogprobs: []TopLogprob{{Token: "Score", Logprob: -0.01}}},
			{Token: ":", Logprob: -0.001, TopLogprobs: []TopLogprob{{Token: ":", Logprob: -0.001}}},
			{Token: " ", Logprob: -0.001, TopLogprobs: []TopLogprob{{Token: " ", Logprob: -0.001}}},
			{Token: digit, Logprob: math.Log(0.6), TopLogprobs: JudgeLogprobs(s)},
		}
	}
	return r
}
