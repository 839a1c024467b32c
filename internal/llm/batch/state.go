package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// stateVersion changes when the state file's format does.
const stateVersion = 1

// State is what the state file holds: enough to find the batches again and
// map their lines back, and nothing secret (no key, no request text).
type State struct {
	V int `json:"v"`
	// Identity names the work (see Identity); a run for other work refuses
	// the file.
	Identity string    `json:"identity"`
	Endpoint string    `json:"endpoint"`
	Created  time.Time `json:"created"`
	Batches  []Entry   `json:"batches"`
}

// Entry is one submitted batch.
type Entry struct {
	ID          string `json:"id"`
	InputFileID string `json:"input_file_id"`
	Model       string `json:"model"`
	// Lines maps each custom_id to the hash of its request's cache key.
	Lines map[string]string `json:"lines"`
}

// Identity hashes the parts that name a piece of work (a suite's manifest,
// a dataset's hash, the selected variants) into the short string a state
// file keeps.
func Identity(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:%s\n", len(p), p)
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// ReadState reads the state file at path; a missing file is ErrNoState.
func ReadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: no state file %s", ErrNoState, path)
	}
	if err != nil {
		return nil, fmt.Errorf("read batch state: %w", err)
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("read batch state %s: %w", path, err)
	}
	if s.V != stateVersion {
		return nil, fmt.Errorf("read batch state %s: version %d, want %d", path, s.V, stateVersion)
	}
	return &s, nil
}

// writeState writes s to path atomically: a temporary file in the same
// directory, synced, then renamed over path, so a crash leaves the old
// state or the new one, never a partial file.
func writeState(path string, s *State) error {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("write batch state: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write batch state: %w", err)
	}
	f, err := os.CreateTemp(dir, ".batch-state-*")
	if err != nil {
		return fmt.Errorf("write batch state: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(append(b, '\n'))
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write batch state: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write batch state: %w", err)
	}
	return nil
}

// check refuses a state for other work or another endpoint.
func (s *State) check(path, identity, endpoint string) error {
	if s.Identity != identity {
		return fmt.Errorf("%w: %s was written for another suite or dataset (identity %.12s, this run %.12s); "+
			"finish or cancel that batch, or remove the file", ErrOtherWork, path, s.Identity, identity)
	}
	if s.Endpoint != endpoint {
		return fmt.Errorf("%w: %s holds batches of another endpoint (%s, this run %s)",
			ErrOtherWork, path, s.Endpoint, endpoint)
	}
	return nil
}
