package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/summarize-dev/summarize/config"
	"github.com/summarize-dev/summarize/internal/eval"
	"github.com/summarize-dev/summarize/internal/prompt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// app is one invocation: its streams, its flags and, once resolved, its
// configuration.
type app struct {
	io         stdio
	warnOut    io.Writer // where warnings go while an eval draws its progress; nil = io.err
	configFile string
	flags      *pflag.FlagSet // the persistent flags bound to config keys
	getenv     func(string) string
	environ    []string
	quiet      bool              // --quiet: no notes on stderr
	inputs     map[string]loaded // summarize --batch: the inputs loaded before the batch, by source (batch.go)

	once sync.Once
	conf *resolved
	err  error
}

func run(ctx context.Context, args []string, io stdio) int {
	a := &app{io: io, getenv: os.Getenv, environ: os.Environ()}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(io.in)
	root.SetOut(io.out)
	root.SetErr(io.err)
	err := root.ExecuteContext(ctx)
	if err != nil {
		report(io.err, err)
	}
	return exitCode(err)
}

// config resolves the configuration once.
func (a *app) config() (*resolved, error) {
	a.once.Do(func() {
		a.conf, a.err = loadConfig(a.configFile, a.flags, a.getenv, a.environ)
		if a.err == nil {
			for _, name := range a.conf.unknown {
				fmt.Fprintf(a.io.err, "summarize: warning: environment variable %s names no config key\n", name)
			}
		}
	})
	return a.conf, a.err
}

func (a *app) rootCmd() *cobra.Command {
	var opts runOptions
	var showVersion bool
	root := &cobra.Command{
		Use:   "summarize [flags] [FILE|URL|-]...",
		Short: "Turn news articles into short headline bullets",
		Long: `summarize turns news articles into 3-5 short headline bullets.

Inputs are files, URLs or - for standard input, as plain text or HTML; page
noise is cleaned away first. With an API key (OPENAI_API_KEY) or a base URL
(--base-url, OPENAI_BASE_URL) it asks any OpenAI-compatible model; with
neither it uses the built-in extractive summarizer, offline.

Exit codes: 0 success, 1 runtime failure, 2 usage or config error,
3 an eval quality gate failed, 130 interrupted.`,
		Example: `  summarize article.txt
  curl -s https://example.com/news | summarize -
  OPENAI_API_KEY=sk-... summarize --model gpt-4o-mini article.html
  summarize --base-url http://localhost:11434/v1 --model llama3.1 article.txt
  summarize --format json a.txt b.html
  summarize --batch --format jsonl wire/*.txt   # Batch API: half price, within 24h; rerun to resume`,
		Args:          cobra.ArbitraryArgs,
		SilenceErrors: true,
		SilenceUsage:  true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if showVersion {
				return a.printVersion(false)
			}
			if err := mistypedCommand(cmd, args); err != nil {
				return err
			}
			if opts.concurrency < 1 || opts.concurrency > eval.MaxConcurrency {
				return withHint(fmt.Errorf("--concurrency %d: want 1 to %d inputs at once", opts.concurrency, eval.MaxConcurrency), exitUsage, usageHint(cmd))
			}
			return a.summarizeInputs(cmd.Context(), args, opts)
		},
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return withHint(err, exitUsage, usageHint(c))
	})
	pf := root.PersistentFlags()
	pf.StringVar(&a.configFile, "config", "", "config file (default: $SUMMARIZE_CONFIG, ./summarize.yaml, <user config dir>/summarize/config.yaml)")
	pf.String("backend", "", "auto|openai|extractive|lead3 (config backend; default auto)")
	pf.StringP("model", "m", "", "model name (config llm.model)")
	pf.String("base-url", "", "OpenAI-compatible endpoint, e.g. http://localhost:11434/v1 (config llm.base_url, env OPENAI_BASE_URL)")
	pf.Var(newKeyFlag("llm.temperature"), "temperature", "sampling temperature 0..2 (config llm.temperature)")
	pf.Var(newKeyFlag("llm.max_tokens"), "max-tokens", "cap on the reply's tokens (config llm.max_tokens)")
	pf.Var(newKeyFlag("llm.timeout"), "timeout", "per-request timeout: 30s, 2m or seconds (config llm.timeout)")
	pf.Var(newKeyFlag("llm.max_retries"), "max-retries", "retries on 429, 5xx and dropped connections (config llm.max_retries)")
	pf.Var(newKeyFlag("llm.context_window"), "context-window", "the model's context window in tokens (config llm.context_window)")
	pf.String("overflow", "", "error|truncate|map-reduce for articles longer than the window (config llm.overflow)")
	pf.String("prompt", "", "prompt template name (config prompt.name)")
	pf.String("prompt-dir", "", "folder of NAME.tmpl templates that shadow the built-ins (config prompt.dir)")
	pf.Var(newKeyFlag("prompt.bullets"), "bullets", "number of bullets (config prompt.bullets)")
	pf.Var(newKeyFlag("prompt.max_words"), "max-words", "words per bullet at most (config prompt.max_words)")
	pf.VarP(new(lowerValue), "format", "f", "text|markdown|json|jsonl, any case (config output.format)")
	pf.Bool("strict", false, "a reply that breaks the bullet contract is an error (config output.strict)")
	a.flags = pf

	f := root.Flags()
	f.BoolVar(&opts.dryRun, "dry-run", false, "print the rendered prompt messages and call nothing")
	f.BoolVar(&opts.raw, "raw", false, "print the model's reply as it came, not the parsed bullets")
	f.BoolVar(&opts.estimate, "estimate", false, "print tokens, calls and estimated cost, and call nothing")
	f.IntVarP(&opts.concurrency, "concurrency", "j", 4, "inputs summarized at once (results still print in input order)")
	f.BoolVarP(&a.quiet, "quiet", "q", false, "no notes on stderr (which backend runs, retries); warnings and errors still print")
	f.BoolVar(&showVersion, "version", false, "print the version, as 'summarize version' does")
	addBatchFlags(f, &opts.batch)

	root.AddCommand(a.cleanCmd(), a.promptsCmd(), a.configCmd(), a.versionCmd(), a.scoreCmd(), a.modelsCmd())
	root.AddCommand(a.evalCmd())
	root.InitDefaultCompletionCmd() // now, so that its argument checks are usage errors too
	a.registerCompletions(root)
	usageArgs(root)
	return root
}

// registerCompletions makes TAB complete inputs as files and the values
// of the flags that take one of a few words.
func (a *app) registerCompletions(root *cobra.Command) {
	root.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return nil, cobra.ShellCompDirectiveDefault // inputs are files
	}
	words := func(values ...string) cobra.CompletionFunc {
		return cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)
	}
	backends := slices.DeleteFunc(slices.Clone(config.Backends), func(b config.Backend) bool { return b == config.BackendDataset }) // eval suites only
	root.RegisterFlagCompletionFunc("backend", words(names(backends)...))
	root.RegisterFlagCompletionFunc("format", words(names(config.Formats)...))
	root.RegisterFlagCompletionFunc("overflow", words(names(config.Overflows)...))
	root.RegisterFlagCompletionFunc("prompt", a.completePrompts)
	if show, _, err := root.Find([]string{"prompts", "show"}); err == nil && show.Name() == "show" {
		show.ValidArgsFunction = func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return a.completePrompts(c, args, toComplete)
		}
	}
}

// names are an enum's values as strings.
func names[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

// completePrompts lists the prompt names: the built-ins and those of
// prompt.dir when the configuration loads, else the built-ins alone.
func (a *app) completePrompts(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var set *prompt.Set
	if st, err := a.settings(); err == nil {
		set, _ = loadPrompts(st.cfg.Prompt.Dir)
	}
	if set == nil {
		if sub, err := subFS("prompts"); err == nil {
			set, _ = prompt.Load(sub, "")
		}
	}
	if set == nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	return set.Names(), cobra.ShellCompDirectiveNoFileComp
}

// mistypedCommand is a usage error when the first argument reads as a
// mistyped subcommand rather than an input: not -, not a URL or a path (no
// dot or separator), no such file, and close to a command's name. Nothing
// has been read or sent yet.
func mistypedCommand(root *cobra.Command, args []string) error {
	if len(args) == 0 || args[0] == "-" || strings.ContainsAny(args[0], `./\:`) {
		return nil
	}
	if _, err := os.Lstat(args[0]); err == nil {
		return nil
	}
	if s := suggestions(root, args[0]); len(s) > 0 {
		return unknownCommand(root, args[0], s)
	}
	return nil
}

// groupArgs is the argument check of a command that only holds
// subcommands: an argument that names none is an unknown command.
func groupArgs(c *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return unknownCommand(c, args[0], suggestions(c, args[0]))
}

// suggestions are c's subcommands close to name: a prefix of one, or at
// most two edits away (cobra's distance when it suggests on its own).
func suggestions(c *cobra.Command, name string) []string {
	if c.SuggestionsMinimumDistance <= 0 {
		c.SuggestionsMinimumDistance = 2
	}
	return c.SuggestionsFor(name)
}

// lowerValue is a string flag kept in lower case: -f JSON is -f json.
type lowerValue string

func (v *lowerValue) Set(s string) error { *v = lowerValue(strings.ToLower(s)); return nil }
func (v *lowerValue) String() string     { return string(*v) }
func (v *lowerValue) Type() string       { return "string" }
