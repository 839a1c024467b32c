package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/summarize-dev/summarize/internal/prompt"
)

func (a *app) cleanCmd() *cobra.Command {
	var refs, rules, verbose bool
	c := &cobra.Command{
		Use:   "clean [FILE|URL|-]...",
		Short: "Print the cleaned article: what the model would see",
		Long: `clean loads each input, removes page noise and prints the article body
that a summarizer would see. Reference bullets found at the top of the input
("- " lines or @highlight blocks) are split off; --refs prints them too.
--format json prints the whole article with its metadata.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := a.settings()
			if err != nil {
				return err
			}
			if rules {
				return a.printRules()
			}
			if len(args) == 0 {
				if a.io.inTerminal {
					return withHint(errNoInput, exitUsage, usageHint(cmd))
				}
				args = []string{"-"}
			}
			var failed []string
			out := &stickyWriter{w: a.io.out}
			for i, src := range args {
				art, err := a.load(cmd.Context(), st.cfg, src)
				if err != nil {
					err = describe("clean", src, err)
					if len(args) == 1 {
						return err
					}
					report(a.io.err, err)
					failed = append(failed, displaySource(src))
					continue
				}
				if verbose {
					cleanNotes(a.io.err, displaySource(src), art)
				}
				switch {
				case st.cfg.Output.Format.IsJSON():
					if err := writeJSONLine(out, art); err != nil {
						return err
					}
				default:
					if len(args) > 1 {
						if i > 0 {
							fmt.Fprintln(out)
						}
						fmt.Fprintf(out, "==> %s <==\n", art.Source)
					}
					if refs && len(art.Refs) > 0 {
						fmt.Fprintln(out, "References:")
						for _, r := range art.Refs {
							fmt.Fprintf(out, "- %s\n", r)
						}
						fmt.Fprintln(out)
					}
					if art.Title != "" && refs {
						fmt.Fprintf(out, "Title: %s\n\n", art.Title)
					}
					fmt.Fprintln(out, art.Body)
				}
			}
			if out.err != nil {
				return fmt.Errorf("write output: %w", out.err)
			}
			if len(failed) > 0 {
				return fmt.Errorf("%d of %d inputs failed: %s", len(failed), len(args), strings.Join(failed, ", "))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&refs, "refs", false, "also print the reference bullets and title split off the input")
	c.Flags().BoolVar(&rules, "rules", false, "list the noise rules (config clean.rules, clean.disable) and exit")
	c.Flags().BoolVarP(&verbose, "verbose", "v", false, "say on stderr when a rule stood down for a page")
	return c
}

func (a *app) printRules() error {
	tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
	for _, r := range cleanRules() {
		fmt.Fprintf(tw, "%s\t%s\n", r[0], r[1])
	}
	return tw.Flush()
}

func (a *app) promptsCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "prompts",
		Short: "List, show or copy the prompt templates",
		Long: `Prompt templates are text/template files NAME.tmpl that define a "system"
and a "user" block. The built-ins are embedded; files in prompt.dir
(--prompt-dir) shadow them by name. To tune a prompt: dump the built-ins to
a folder, edit, and point prompt.dir at it.`,
		Args: groupArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	set := func() (*prompt.Set, error) {
		st, err := a.settings()
		if err != nil {
			return nil, err
		}
		return loadPrompts(st.cfg.Prompt.Dir)
	}
	c.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the templates with their versions and origins",
		Args:  argsRange(0, 0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, err := set()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
			for _, n := range ps.Names() {
				t, _ := ps.Get(n)
				fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Version, t.Origin)
			}
			return tw.Flush()
		},
	}, &cobra.Command{
		Use:   "show NAME",
		Short: "Print a template's source",
		Args:  argsRange(1, 1, "one template NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, err := set()
			if err != nil {
				return err
			}
			t, err := ps.Get(args[0])
			if err != nil {
				return &cliError{err: err, code: exitUsage}
			}
			fmt.Fprintf(a.io.err, "# %s (%s)\n", t.ID(), t.Origin)
			_, err = fmt.Fprint(a.io.out, t.Source)
			return err
		},
	}, &cobra.Command{
		Use:   "dump DIR",
		Short: "Copy every template into DIR to edit (existing files are kept)",
		Args:  argsRange(1, 1, "one folder DIR"),
		RunE: func(cmd *cobra.Command, args []string) error {
			ps, err := set()
			if err != nil {
				return err
			}
			written, err := ps.Dump(args[0])
			for _, p := range written {
				fmt.Fprintln(a.io.out, p)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(a.io.err, "summarize: set prompt.dir: %s (or --prompt-dir) to use them\n", args[0])
			return nil
		},
	})
	return c
}

func (a *app) configCmd() *cobra.Command {
	c := &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration and the config files looked for",
		Args:  groupArgs,
		RunE:  func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	c.AddCommand(&cobra.Command{
		Use:   "path",
		Short: "List the config files looked for, in order, and which one is used",
		Args:  argsRange(0, 0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.printConfigPath()
		},
	}, &cobra.Command{
		Use:   "show",
		Short: "Print every key's value and where it came from (secrets redacted)",
		Args:  argsRange(0, 0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := a.config()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "KEY\tVALUE\tSOURCE")
			for _, row := range r.show() {
				fmt.Fprintf(tw, "%s\t%s\t%s\n", row[0], row[1], row[2])
			}
			return tw.Flush()
		},
	})
	return c
}

func (a *app) versionCmd() *cobra.Command {
	var asJSON bool
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the version (and the commit when the build recorded one)",
		Args:  argsRange(0, 0, ""),
		RunE: func(cmd *cobra.Command, args []string) error {
			return a.printVersion(asJSON)
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
}

// printVersion is 'summarize version' and 'summarize --version'.
func (a *app) printVersion(asJSON bool) error {
	v, rev := buildVersion(), buildCommit()
	if asJSON {
		m := map[string]string{"version": v, "go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH}
		if rev != "" {
			m["commit"] = rev
		}
		return json.NewEncoder(a.io.out).Encode(m)
	}
	if rev != "" {
		rev = "commit " + shortCommit(rev) + ", "
	}
	_, err := fmt.Fprintf(a.io.out, "summarize %s (%s%s %s/%s)\n", v, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}

// shortCommit is a revision's first 12 hex digits, keeping "+dirty".
func shortCommit(rev string) string {
	hash, dirty, _ := strings.Cut(rev, "+")
	if len(hash) > 12 {
		hash = hash[:12]
	}
	if dirty != "" {
		hash += "+" + dirty
	}
	return hash
}

// printConfigPath lists the config files looked for, in the order they are
// looked for, each with whether it exists and which one is used. An
// explicit file (--config, $SUMMARIZE_CONFIG) that does not exist is the
// error loading the config would be.
func (a *app) printConfigPath() error {
	used, findErr := findConfigFile(a.configFile, a.getenv)
	rows := [][2]string{{"--config", a.configFile}, {"$" + envPrefix + "_CONFIG", a.getenv(envPrefix + "_CONFIG")}, {"current directory", "./summarize.yaml"}}
	if dir, err := os.UserConfigDir(); err == nil {
		rows = append(rows, [2]string{"user config dir", filepath.Join(dir, "summarize", "config.yaml")})
	}
	found := false
	tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FROM\tPATH\tSTATUS")
	for i, r := range rows {
		path, status := r[1], ""
		switch {
		case path == "" && i == 0:
			path, status = "-", "not given"
		case path == "" && i == 1:
			path, status = "-", "not set"
		case !found && used != "" && path == used:
			status, found = "used", true
		default:
			status = "missing"
			if _, err := os.Stat(path); err == nil {
				status = "exists, not used"
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r[0], path, status)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if findErr == nil && used == "" {
		fmt.Fprintln(a.io.err, "summarize: no config file: built-in defaults, SUMMARIZE_* and flags only")
	}
	return findErr
}

// buildVersion is -ldflags' version, else the module version, else "dev".
func buildVersion() string {
	if version != "dev" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return version
}

// stickyWriter keeps the first write error, so a command that prints in
// many small writes can check once (a full disk, a closed pipe).
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}
