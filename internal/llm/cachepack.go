package llm

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// The cache keeps its entries in 256 pack files, packs/00.jsonl to
// packs/ff.jsonl, chosen by the first two hex digits of the key's hash:
// one entry a line, each appended with a single write. Storing an entry
// creates no file: with a file per entry, creating the files was a third
// of an eval's CPU on an ext4 disk without a journal (0.35 ms an entry).
//
// Each process indexes a pack the first time it looks a key up in it, and
// reads only what was appended since at later misses, so the entries other
// processes add become visible to it. Appends from several processes
// sharing the folder do not interleave (O_APPEND writes of a regular file
// on a local file system are atomic); an entry torn by a crash is skipped,
// and the next writer starts on a new line, so it costs that entry alone.
// The last entry of a key wins.
//
// Entries made before the packs (one file each, XX/HASH.json) are still
// read when the folder has them.
const (
	packDir   = "packs"
	packCount = 256
	// packMaxLine caps an entry as read back; Put writes nothing larger.
	packMaxLine = 64 << 20
	// pathCheckEvery is how often an add checks that the pack's path is
	// still the file it appends to.
	pathCheckEvery = time.Second
)

// entryPrefix opens every entry line: the key's hash follows it at a fixed
// offset, so indexing a pack parses no JSON.
var entryPrefix = `{"v":` + strconv.Itoa(cacheKeyVersion) + `,"key":"`

// pack is one pack file and this process's index of it.
type pack struct {
	path string

	mu      sync.Mutex
	r       *os.File         // read handle; nil until the file exists
	w       *os.File         // append handle; nil until the first Put
	end     int64            // the size of w after this process's last add
	checked time.Time        // when openForAdd last looked at the path
	scanned int64            // bytes of r indexed
	index   map[uint64]entry // by the 64 bits of the hash after the pack's byte
}

// entry is where an entry's line is in its pack.
type entry struct {
	off int64
	n   int64
}

// packOf returns the pack of hash and the hash's index key in it. A
// malformed hash (not 64 hex digits) is reported by ok.
func (c *Cache) packOf(hash string) (p *pack, key uint64, ok bool) {
	if len(hash) != 64 {
		return nil, 0, false
	}
	b, err := strconv.ParseUint(hash[:2], 16, 8)
	if err != nil {
		return nil, 0, false
	}
	key, ok = hashKey(hash)
	return c.packs[b], key, ok
}

// hashKey is the 64 bits of a key's hash after its first byte (the pack's):
// the key in a pack's index, and the byte of its lock (lockByte). hash is
// at least 18 hex digits.
func hashKey[S ~string | ~[]byte](hash S) (uint64, bool) {
	k, err := strconv.ParseUint(string(hash[2:18]), 16, 64)
	return k, err == nil
}

func newPacks(dir string) *[packCount]*pack {
	var ps [packCount]*pack
	for i := range ps {
		ps[i] = &pack{path: filepath.Join(dir, packDir, fmt.Sprintf("%02x.jsonl", i))}
	}
	return &ps
}

// How lookup reads the pack.
type lookMode int

const (
	lookIndex lookMode = iota // the index only: what this process has seen
	lookNew                   // and, when the index lacks the key, what was appended since
	lookAgain                 // what was appended since, even when the index has the key
)

// lookup returns where the entry of key is. With lookNew it reads what was
// appended to the pack since the last read when this process has not seen
// the key; with lookAgain even when it has (the entry seen is not the
// key's, or is corrupt, and may have been written again since).
func (p *pack) lookup(key uint64, mode lookMode) (*os.File, entry, bool, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if e, ok := p.index[key]; ok && mode != lookAgain || mode == lookIndex {
		return p.r, e, ok, nil
	}
	if err := p.refresh(); err != nil {
		return nil, entry{}, false, err
	}
	e, ok := p.index[key]
	return p.r, e, ok, nil
}

// refresh indexes the lines appended since the last refresh. A last line
// without its newline (a write under way, or torn) is left for later.
func (p *pack) refresh() error {
	if p.r == nil {
		f, err := os.Open(p.path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read cache: %w", err)
		}
		p.r = f
	}
	st, err := p.r.Stat()
	if err != nil {
		return fmt.Errorf("read cache: %w", err)
	}
	size := st.Size()
	if size < p.scanned { // the file was cut short: start again
		p.scanned, p.index = 0, nil
	}
	if size == p.scanned {
		return nil
	}
	if p.index == nil {
		p.index = map[uint64]entry{}
	}
	rd := bufio.NewReaderSize(io.NewSectionReader(p.r, p.scanned, size-p.scanned), int(min(max(size-p.scanned, 512), 64<<10)))
	start, off := p.scanned, p.scanned
	key, keyed := uint64(0), false
	for {
		frag, err := rd.ReadSlice('\n')
		if off == start {
			key, keyed = lineKey(frag)
		}
		off += int64(len(frag))
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) { // a line without its newline yet
			break
		}
		if err != nil {
			return fmt.Errorf("read cache %s: %w", p.path, err)
		}
		if keyed {
			if old, ok := p.index[key]; !ok || old.off < start {
				p.index[key] = entry{off: start, n: off - start}
			}
		}
		start = off
	}
	p.scanned = start
	return nil
}

// lineKey is the index key of an entry line beginning with frag.
func lineKey(frag []byte) (uint64, bool) {
	hashAt := len(entryPrefix)
	if len(frag) < hashAt+64+1 || string(frag[:hashAt]) != entryPrefix || frag[hashAt+64] != '"' {
		return 0, false
	}
	return hashKey(frag[hashAt:])
}

// read returns the line of e in f.
func readEntry(f *os.File, e entry) ([]byte, error) {
	if e.n > packMaxLine {
		return nil, fmt.Errorf("an entry of %d bytes", e.n)
	}
	b := make([]byte, e.n)
	if _, err := f.ReadAt(b, e.off); err != nil {
		return nil, err
	}
	return b, nil
}

// add appends line, which ends in a newline, to the pack. The file and its
// folder are made on the first add.
func (p *pack) add(line []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	st, err := p.openForAdd()
	if err != nil {
		return err
	}
	// After a torn write (a crash, a full disk) the file does not end in a
	// newline: start a line of our own rather than finish that one. (At
	// the size our last add left it, it ends in our newline.)
	if size := st.Size(); size > 0 && size != p.end {
		var last [1]byte
		if _, err := p.w.ReadAt(last[:], st.Size()-1); err == nil && last[0] != '\n' {
			line = append([]byte{'\n'}, line...)
		}
	}
	n, err := p.w.Write(line)
	if err == nil {
		p.end = st.Size() + int64(n)
	} else {
		p.end = -1
	}
	return err
}

// openForAdd opens the pack to append to, or opens it again when the file
// at its path is not the one open (the cache folder was removed or
// emptied while the run went on: what this process adds must not go into
// a file nobody can open). It returns the open file's Stat.
func (p *pack) openForAdd() (fs.FileInfo, error) {
	if p.w != nil {
		open, err := p.w.Stat()
		if err != nil {
			return nil, err
		}
		if time.Since(p.checked) < pathCheckEvery {
			return open, nil
		}
		if now, err := os.Stat(p.path); err == nil && os.SameFile(open, now) {
			p.checked = time.Now()
			return open, nil
		}
		p.w.Close()
		p.w = nil
		if p.r != nil { // it reads the old file too
			p.r.Close()
			p.r, p.scanned, p.index = nil, 0, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(p.path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p.path, os.O_RDWR|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	p.w, p.end, p.checked = f, -1, time.Now()
	return st, nil
}

// close closes the pack's files.
func (p *pack) close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, f := range []*os.File{p.r, p.w} {
		if f != nil {
			errs = append(errs, f.Close())
		}
	}
	p.r, p.w, p.index, p.scanned = nil, nil, nil, 0
	return errors.Join(errs...)
}
