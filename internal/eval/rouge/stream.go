package rouge

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// MaxLineBytes is the longest input line ScoreStream accepts.
const MaxLineBytes = 16 << 20

// StreamOptions configures ScoreStream.
type StreamOptions struct {
	// Scorer scores each line. When nil, ScoreStream uses
	// NewScorer(DefaultTypes(), Options{Stemmer: true}), the setting of
	// published results (rouge-score with use_stemmer=True).
	Scorer *Scorer
	// Samples, Confidence and Seed configure the bootstrap confidence
	// intervals of the Summary (see NewBootstrapAggregator: zero values
	// mean 1000 samples at 95%). The bootstrap keeps every score in
	// memory and costs Samples × pairs draws per type; Samples < 0 skips
	// it, and the Summary then has means only.
	Samples    int
	Confidence float64
	Seed       int64
	// Workers is the number of goroutines that parse and score lines;
	// 0 means GOMAXPROCS.
	Workers int
}

// Summary describes a whole stream: the number of pairs scored and, per
// type, the mean score and its bootstrap confidence interval.
type Summary struct {
	Count int                       `json:"count"`
	Types []string                  `json:"types"`
	Mean  map[string]Score          `json:"mean"`
	CI    map[string]AggregateScore `json:"ci,omitempty"`
}

// ScoreStream reads JSONL records {"id", "candidate", "reference"} from r,
// where candidate and reference are lists of bullets or plain strings, and
// writes one JSONL line {"id", "scores": {"rouge1": {"p", "r", "f"}, ...}}
// per record to w, in input order. The id is copied as given (null when
// absent). Bullets are joined with newlines, so rougeLsum treats each
// bullet as a sentence. Blank lines are skipped; a malformed line stops
// the stream with an error "line N: why", after the lines before it have
// been written. Lines may be up to MaxLineBytes long.
//
// Records are parsed and scored by opts.Workers goroutines in batches;
// the output and the Summary do not depend on the number of workers.
// When ScoreStream returns early (a bad line, ctx canceled, a failed
// write), a goroutine blocked reading r may outlive the call until its
// read returns; it reads no further.
func ScoreStream(ctx context.Context, r io.Reader, w io.Writer, opts StreamOptions) (Summary, error) {
	s := opts.Scorer
	if s == nil {
		var err error
		if s, err = NewScorer(DefaultTypes(), Options{Stemmer: true}); err != nil {
			return Summary{}, err
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	tally := newTally(s.Types(), opts)

	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	order := make(chan *batch, 2*workers) // batches in input order, for the writer
	work := make(chan *batch, 2*workers)  // the same batches, for the workers
	free := make(chan *batch, 4*workers)  // written batches, for reuse
	// The reader is not waited for: after an early return it may be
	// blocked in r.Read, and it stops at its next line.
	go readBatches(stop, r, order, work, free)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() { scoreBatches(stop, s, work) })
	}
	// On every return: stop the workers, then wait for them.
	defer wg.Wait()
	defer cancel()

	bw := bufio.NewWriterSize(w, 64<<10)
	for b := range order {
		select {
		case <-b.done:
		case <-ctx.Done():
			bw.Flush()
			return tally.summary(), ctx.Err()
		}
		if _, err := bw.Write(b.out); err != nil {
			return tally.summary(), fmt.Errorf("write scores: %w", err)
		}
		tally.add(b)
		if b.err != nil {
			if err := bw.Flush(); err != nil {
				return tally.summary(), fmt.Errorf("write scores: %w", err)
			}
			return tally.summary(), b.err
		}
		select {
		case free <- b:
		default:
		}
	}
	if err := bw.Flush(); err != nil {
		return tally.summary(), fmt.Errorf("write scores: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return tally.summary(), err
	}
	sum := tally.summary()
	if tally.agg != nil && sum.Count > 0 {
		sum.CI = tally.agg.Aggregate()
	}
	return sum, nil
}

// scoreBatches parses and scores the batches from work until it is closed
// or stop is canceled.
func scoreBatches(stop context.Context, s *Scorer, work <-chan *batch) {
	for {
		select {
		case b, ok := <-work:
			if !ok {
				return
			}
			b.process(s)
			close(b.done)
		case <-stop.Done():
			return
		}
	}
}

// tally accumulates the Summary of a stream, in input order.
type tally struct {
	types  []string
	count  int
	totals []Score
	agg    *BootstrapAggregator // every score, only when bootstrapping
}

func newTally(types []string, opts StreamOptions) *tally {
	t := &tally{types: types, totals: make([]Score, len(types))}
	if opts.Samples >= 0 {
		t.agg = NewBootstrapAggregator(opts.Samples, opts.Confidence, opts.Seed)
	}
	return t
}

func (t *tally) add(b *batch) {
	n := len(t.types)
	for i := range b.scored {
		for k, typ := range t.types {
			sc := b.scores[i*n+k]
			t.totals[k].Precision += sc.Precision
			t.totals[k].Recall += sc.Recall
			t.totals[k].F += sc.F
			if t.agg != nil {
				t.agg.add(typ, sc)
			}
		}
	}
	t.count += b.scored
}

// summary returns the count and the means (the caller adds intervals).
func (t *tally) summary() Summary {
	sum := Summary{Count: t.count, Types: t.types}
	if t.count == 0 {
		return sum
	}
	n := float64(t.count)
	sum.Mean = make(map[string]Score, len(t.types))
	for k, typ := range t.types {
		sum.Mean[typ] = Score{t.totals[k].Precision / n, t.totals[k].Recall / n, t.totals[k].F / n}
	}
	return sum
}

// batchLines is the number of records a worker takes at a time.
const batchLines = 64

// batch is a run of consecutive non-blank input lines.
type batch struct {
	data   []byte // the lines, back to back
	ends   []int  // end of each line in data
	lineNo []int  // 1-based line number of each line
	err    error  // a reading error after the lines, or the first bad line's
	done   chan struct{}

	out    []byte  // output lines of the records scored
	scores []Score // len(types) scores per record scored
	scored int     // records scored (all, unless err is a line's error)
}

// readBatches splits r into batches and sends each to order and work, in
// input order, until r ends, a read fails or stop is canceled.
func readBatches(stop context.Context, r io.Reader, order, work chan<- *batch, free <-chan *batch) {
	defer close(work)
	defer close(order)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxLineBytes)
	send := func(b *batch) bool {
		select {
		case order <- b:
		case <-stop.Done():
			return false
		}
		select {
		case work <- b:
			return true
		case <-stop.Done():
			close(b.done)
			return false
		}
	}
	newBatch := func() *batch {
		select {
		case b := <-free:
			*b = batch{
				data: b.data[:0], ends: b.ends[:0], lineNo: b.lineNo[:0],
				out: b.out[:0], scores: b.scores[:0], done: make(chan struct{}),
			}
			return b
		default:
			return &batch{done: make(chan struct{})}
		}
	}
	b := newBatch()
	lineNo := 0
	for sc.Scan() {
		lineNo++
		if stop.Err() != nil {
			return
		}
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		b.data = append(b.data, line...)
		b.ends = append(b.ends, len(b.data))
		b.lineNo = append(b.lineNo, lineNo)
		if len(b.ends) == batchLines {
			if !send(b) {
				return
			}
			b = newBatch()
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = fmt.Errorf("line longer than %d bytes", MaxLineBytes)
		}
		b.err = fmt.Errorf("line %d: %w", lineNo+1, err)
	}
	if len(b.ends) > 0 || b.err != nil {
		send(b)
	}
}

// process parses and scores the batch's lines, stopping at the first bad
// one (whose error replaces any reading error).
func (b *batch) process(s *Scorer) {
	ntypes := len(s.types)
	start := 0
	for i, end := range b.ends {
		line := b.data[start:end]
		start = end
		rec, err := parseRecord(line)
		if err != nil {
			b.err = fmt.Errorf("line %d: %w", b.lineNo[i], err)
			return
		}
		b.scores = s.AppendScores(b.scores, rec.reference, rec.candidate)
		b.out = appendResult(b.out, rec.id, s.types, b.scores[len(b.scores)-ntypes:])
		b.scored++
	}
}
