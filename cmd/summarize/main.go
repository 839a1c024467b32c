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
// or configuration error; 3 an eval quality gate failed.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

func main() {
	os.Exit(mainExit())
}

// mainExit runs the command with the process's arguments and streams and
// returns its exit code (testscript calls it too).
func mainExit() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr, inTerminal: term.IsTerminal(int(os.Stdin.Fd()))})
}

type stdio struct {
	in  io.Reader
	out io.Writer
	err io.Writer
	// inTerminal says in is a terminal: reading it would wait for someone
	// to type, so a command with no input says so instead.
	inTerminal bool
}
