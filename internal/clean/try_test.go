package clean

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestTry(t *testing.T) {
	f := os.Getenv("TRY")
	if f == "" {
		t.Skip()
	}
	in, err := Load(context.Background(), f, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Clean(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("title=%q\nbyline=%q\ndate=%q\nsite=%q\nlang=%q\ndateline=%q\nrefs=%q\n---\n%s\n", a.Title, a.Byline, a.Date, a.SiteName, a.Language, a.Dateline, a.Refs, a.Body)
}
