package dataset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const oneCase = `{"id":"a","article":"Storm hits the coast.","reference":["Storm hits."]}`

func TestOpenByteOrderMark(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data.jsonl")
	writeFile(t, path, "\xEF\xBB\xBF"+oneCase+"\n"+strings.Replace(oneCase, `"a"`, `"b"`, 1)+"\n")
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open(file with a BOM) error = %v", err)
	}
	var ids []string
	if err := d.Each(t.Context(), []int{0, 1}, func(i int, c Case) error { ids = append(ids, c.ID); return nil }); err != nil {
		t.Fatalf("Each error = %v", err)
	}
	if strings.Join(ids, ",") != "a,b" {
		t.Errorf("Each ids = %v, want [a b]", ids)
	}
}

func TestOpenLimits(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "data.jsonl")
	long := `{"id":"b","article":"` + strings.Repeat("x", 4096) + `","reference":["r"]}`
	writeFile(t, path, oneCase+"\n\n"+long+"\n")
	_, err := open(path, 1024, MaxFile)
	if want := path + ":3: line longer than 1 KiB"; err == nil || err.Error() != want {
		t.Errorf("open(line limit 1 KiB) error = %v, want %q", err, want)
	}
	_, err = open(path, MaxLine, 100)
	if want := "dataset " + path + ": larger than 100 bytes"; err == nil || err.Error() != want {
		t.Errorf("open(file limit 100) error = %v, want %q", err, want)
	}
	if _, err := Open(path); err != nil {
		t.Errorf("Open(within the limits) error = %v", err)
	}
}

func TestOpenDevZero(t *testing.T) {
	// A symlink in a temporary folder stands for "dataset: /dev/zero".
	link := filepath.Join(t.TempDir(), "data.jsonl")
	if err := os.Symlink("/dev/zero", link); err != nil {
		t.Skip(err)
	}
	if _, err := os.Stat(link); err != nil {
		t.Skip(err)
	}
	_, err := Open(link)
	if want := "dataset " + link + ": not a regular file"; err == nil || err.Error() != want {
		t.Errorf("Open(/dev/zero) error = %v, want %q", err, want)
	}
}

func TestImportJSONLLineLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hf.jsonl")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// A line one byte over the limit, without a newline.
	if _, err := f.WriteString(`{"article":"` + strings.Repeat("y", MaxLine) + `"}`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	err = Import(t.Context(), "jsonl", path, ImportOptions{}, func(Case) error { return nil })
	if want := "import: " + path + ":1: line longer than 16 MiB"; err == nil || err.Error() != want {
		t.Errorf("Import(16 MiB line) error = %v, want %q", err, want)
	}
}

// Open and Each read lines longer than their readers' buffers (64 KiB)
// between short ones, in order and by seeking, with no final newline.
func TestEachLongLines(t *testing.T) {
	var cases []Case
	var lines []string
	for i := range 12 {
		c := Case{ID: strings.Repeat("i", i+1), Article: strings.Repeat("Storm hits the coast. ", 1+i%3*7000), Reference: []string{"Storm hits."}}
		cases = append(cases, c)
		b, err := c.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(b))
	}
	path := filepath.Join(t.TempDir(), "data.jsonl")
	writeFile(t, path, strings.Join(lines, "\n"))
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, indices := range [][]int{seq(len(cases)), {1, 2, 5, 11}, {0, 11}} {
		n := 0
		err := d.Each(t.Context(), indices, func(i int, c Case) error {
			if c.ID != cases[i].ID || c.Article != cases[i].Article {
				t.Errorf("Each(%v): case %d is %q with a %d-byte article, want %q with %d bytes", indices, i, c.ID, len(c.Article), cases[i].ID, len(cases[i].Article))
			}
			n++
			return nil
		})
		if err != nil || n != len(indices) {
			t.Errorf("Each(%v) = %v after %d cases, want nil after %d", indices, err, n, len(indices))
		}
	}
}
