package extractive

import (
	"regexp"
	"sync"
)

// lazyRE is a regexp compiled on first use, so that start-up of a program
// that links this package but never summarizes (summarize version, score)
// does not pay for compiling every pattern.
type lazyRE struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func lazyRegexp(src string) *lazyRE { return &lazyRE{src: src} }

func (l *lazyRE) get() *regexp.Regexp {
	l.once.Do(func() { l.re = regexp.MustCompile(l.src) })
	return l.re
}

func (l *lazyRE) FindStringIndex(s string) []int      { return l.get().FindStringIndex(s) }
func (l *lazyRE) ReplaceAllString(s, r string) string { return l.get().ReplaceAllString(s, r) }
func (l *lazyRE) FindAllStringIndex(s string, n int) [][]int {
	return l.get().FindAllStringIndex(s, n)
}
func (l *lazyRE) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.get().FindAllStringSubmatchIndex(s, n)
}
func (l *lazyRE) FindStringSubmatchIndex(s string) []int {
	return l.get().FindStringSubmatchIndex(s)
}
