package clean

import "errors"

// Error kinds returned by Load and Clean. Callers test them with errors.Is;
// the message of the returned error says what was wrong with which input,
// e.g. "article.pdf: looks like a PDF document, not text or HTML".
var (
	ErrEmpty     = errors.New("input is empty")
	ErrBinary    = errors.New("input is not text or HTML")
	ErrTooLarge  = errors.New("input is too large")
	ErrNoContent = errors.New("no article text found")
	ErrFetch     = errors.New("fetch failed")
	ErrOptions   = errors.New("invalid cleaning options")
)

// kindError carries a human message and an error kind that errors.Is
// matches, and optionally an underlying cause for errors.As.
type kindError struct {
	kind  error
	msg   string
	cause error
}

func (e *kindError) Error() string { return e.msg }

func (e *kindError) Is(target error) bool { return target == e.kind }

func (e *kindError) Unwrap() error { return e.cause }

// newKind returns an error of the given kind with message msg.
func newKind(kind error, msg string) error {
	return &kindError{kind: kind, msg: msg}
}

// wrapKind returns an error of the given kind with message msg that also
// unwraps to cause.
func wrapKind(kind error, msg string, cause error) error {
	return &kindError{kind: kind, msg: msg, cause: cause}
}
