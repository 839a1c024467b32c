// Command summarize turns news articles into short headline bullets, with
// any OpenAI-compatible language model or, offline, with its built-in
// extractive summarizer, and measures how good those bullets are.
//
// Usage:
//
//	summarize [flags] [FILE|URL|-]...   summarize each input
//	summarize eval SUITE.yaml [flags]   run an eval suite, write reports, gate on thresholds
//	summarize score [FILE|-]            ROUGE for given bullets (JSONL in, JSONL out)
//	summarize clean [FILE|URL|-]        print the cleaned article (what the model sees)
//	summarize prompts list|show NAME|dump DIR
//	summarize config show               effective config with the source of each value
//	summarize config path               the config files looked for, in order, and the one used
//	summarize version
//
// Configuration comes from flags, SUMMARIZE_<SECTION>_<KEY> environment
// variables, a config file (--config, $SUMMARIZE_CONFIG, ./summarize.yaml,
// or <user config dir>/summarize/config.yaml) and built-in defaults, in that
// order of precedence. `summarize config show` prints the result.
//
// Exit codes: 0 success; 1 runtime failure (backend, network, I/O); 2 usage
// or configuration error; 3 an eval quality gate failed; 130 interrupted
// (Ctrl-C or SIGTERM), after printing or writing what finished.
//
// A first Ctrl-C stops starting work: summarize cancels the inputs in
// flight, eval lets its calls in flight finish for --grace and says so; a
// second Ctrl-C stops the eval at once; a third kills the process.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"
)

// exitInterrupted is the exit code of a run stopped by a signal, as a
// shell reports a process killed by SIGINT (128 + 2).
const exitInterrupted = 130

func main() {
	os.Exit(mainExit(0))
}

// mainExit runs the command with the process's arguments and streams and
// returns its exit code. testscript calls it too, with retryWaitCap (see
// stdio) set; main never does.
func mainExit(retryWaitCap time.Duration) int {
	ctx, stopNow, stop := notifyInterrupts()
	defer stop()
	return runInterruptible(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr,
		inTerminal: term.IsTerminal(int(os.Stdin.Fd())), stopNow: stopNow, retryWaitCap: retryWaitCap})
}

// notifyInterrupts returns a context cancelled by the first SIGINT or
// SIGTERM and a channel closed by the second; after the second, signals
// have their default effect again (a third Ctrl-C kills the process).
func notifyInterrupts() (ctx context.Context, stopNow <-chan struct{}, stop func()) {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	now := make(chan struct{})
	done := make(chan struct{})
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-done:
			return
		}
		select {
		case <-sigs:
			close(now)
			signal.Stop(sigs)
		case <-done:
		}
	}()
	return ctx, now, func() { signal.Stop(sigs); close(done); cancel() }
}

// runInterruptible is run, with an interrupted run's failure reported
// as exit code 130: ctx ended before the command did.
func runInterruptible(ctx context.Context, args []string, io stdio) int {
	code := run(ctx, args, io)
	if code != exitOK && ctx.Err() != nil {
		return exitInterrupted
	}
	return code
}

// sayInterrupted tells at once what an interrupted eval is doing: an
// interrupt must not look like a hang.
func (a *app) sayInterrupted(inFlight int, grace time.Duration) {
	if inFlight == 0 {
		a.warnf("interrupted: writing the reports of what finished")
		return
	}
	calls := "calls"
	if inFlight == 1 {
		calls = "call"
	}
	a.warnf(fmt.Sprintf("interrupted: finishing %d %s in flight (up to %s; Ctrl-C again to stop now)", inFlight, calls, grace))
}

type stdio struct {
	in  io.Reader
	out io.Writer
	err io.Writer
	// inTerminal says in is a terminal: reading it would wait for someone
	// to type, so a command with no input says so instead.
	inTerminal bool
	// stopNow is closed by a second interrupt: stop at once, without
	// waiting for the calls in flight; nil = never.
	stopNow <-chan struct{}
	// retryWaitCap, when > 0, cuts every wait between retries to at most
	// this, so that the CLI tests retry a "Retry-After: 1" at once. Only
	// the tests set it (mainExit's argument): no flag or variable does.
	retryWaitCap time.Duration
}
