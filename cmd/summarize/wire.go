package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/clean"
	"github.com/summarize-dev/summarize/internal/prompt"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// settings is a command's resolved config, with what only the command
// line knows about it. newPipeline (pipeline.go) builds the summarizer
// from it.
type settings struct {
	cfg config.Config
	// maxWordsSet: prompt.max_words was given (flag, env, file).
	maxWordsSet bool
}

// settings resolves the config and checks the cleaner's options.
func (a *app) settings() (settings, error) {
	r, err := a.config()
	if err != nil {
		return settings{}, err
	}
	s := settings{cfg: r.cfg, maxWordsSet: r.source("prompt.max_words") != "default"}
	if err := clean.ValidateOptions(cleanOptions(s.cfg)); err != nil {
		return settings{}, withHint(fmt.Errorf("%s: %w", where(r.file), err), exitUsage, "see 'summarize clean --rules'")
	}
	return s, nil
}

// loadPrompts parses the built-in templates and those of dir (prompt.dir,
// "" for none), which shadow them by name.
func loadPrompts(dir string) (*prompt.Set, error) {
	sub, err := subFS("prompts")
	if err != nil {
		return nil, err
	}
	s, err := prompt.Load(sub, dir)
	if err != nil {
		ce := &cliError{err: fmt.Errorf("load prompts: %w", err), code: exitUsage}
		if errors.As(err, new(*prompt.MissingBlockError)) {
			ce.hint = blockHint
		}
		return nil, ce
	}
	return s, nil
}

// loadOptions maps clean.* to the loader's options.
func loadOptions(cfg config.Config, stdin io.Reader) clean.LoadOptions {
	return clean.LoadOptions{
		Stdin:     stdin,
		MaxBytes:  cfg.Clean.MaxBytes,
		Timeout:   cfg.Clean.FetchTimeout,
		UserAgent: "summarize/" + version,
	}
}

// cleanOptions maps clean.* to the cleaner's options; an empty rule list
// means every rule (the cleaner reads only nil that way).
func cleanOptions(cfg config.Config) clean.Options {
	o := clean.Options{DisableRules: cfg.Clean.Disable, ExtraPatterns: cfg.Clean.Patterns}
	if len(cfg.Clean.Rules) > 0 {
		o.Rules = cfg.Clean.Rules
	}
	return o
}

var errNoInput = errors.New("no input: give a FILE, a URL, or - for standard input")
