// Package patchcheck has no code: its tests exercise the patched copies
// under third_party through their public APIs, from the main module, so
// that "go test ./..." notices a mistake in a patch. See
// third_party/go-dateparser/PATCHED.md.
package patchcheck
