package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func (a *app) cleanCmd() *cobra.Command {
	var refs, rules bool
	c := &cobra.Command{
		Use:   "clean [FILE|URL|-]...",
		Short: "Print the cleaned article: what the model would see",
		Long: `clean loads each input, removes page noise and prints the article body
that a summarizer would see. Reference bullets found at the top of the input
("- " lines or @highlight blocks) are split off; --refs prints them too.
--format json prints the whole article with its metadata.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := a.wiring()
			if err != nil {
				return err
			}
			if rules {
				return a.printRules()
			}
			if len(args) == 0 {
				args = []string{"-"}
			}
			var failed []string
			for i, src := range args {
				art, err := a.load(cmd.Context(), w, src)
				if err != nil {
					err = describe("clean", src, err)
					if len(args) == 1 {
						return err
					}
					report(a.io.err, err)
					failed = append(failed, displaySource(src))
					continue
				}
				switch w.cfg.Output.Format {
				case "json", "jsonl":
					if err := writeJSONLine(a.io.out, art); err != nil {
						return err
					}
				default:
					if len(args) > 1 {
						if i > 0 {
							fmt.Fprintln(a.io.out)
						}
						fmt.Fprintf(a.io.out, "==> %s <==\n", art.Source)
					}
					if refs && len(art.Refs) > 0 {
						fmt.Fprintln(a.io.out, "References:")
						for _, r := range art.Refs {
							fmt.Fprintf(a.io.out, "- %s\n", r)
						}
						fmt.Fprintln(a.io.out)
					}
					if art.Title != "" && refs {
						fmt.Fprintf(a.io.out, "Title: %s\n\n", art.Title)
					}
					fmt.Fprintln(a.io.out, art.Body)
				}
			}
			if len(failed) > 0 {
				return fmt.Errorf("%d of %d inputs failed: %s", len(failed), len(args), strings.Join(failed, ", "))
			}
			return nil
		},
	}
	c.Flags().BoolVar(&refs, "refs", false, "also print the reference bullets and title split off the input")
	c.Flags().BoolVar(&rules, "rules", false, "list the noise rules (config clean.rules, clean.disable) and exit")
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
	}
	set := func() (*wiring, error) {
		w, err := a.wiring()
		if err != nil {
			return nil, err
		}
		_, err = w.loadPrompts()
		return w, err
	}
	c.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the templates with their versions and origins",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := set()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.io.out, 0, 4, 2, ' ', 0)
			for _, n := range w.prompts.Names() {
				t, _ := w.prompts.Get(n)
				fmt.Fprintf(tw, "%s\t%s\t%s\n", t.Name, t.Version, t.Origin)
			}
			return tw.Flush()
		},
	}, &cobra.Command{
		Use:   "show NAME",
		Short: "Print a template's source",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := set()
			if err != nil {
				return err
			}
			t, err := w.prompts.Get(args[0])
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
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			w, err := set()
			if err != nil {
				return err
			}
			written, err := w.prompts.Dump(args[0])
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
	c := &cobra.Command{Use: "config", Short: "Show the effective configuration"}
	c.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print every key's value and where it came from (secrets redacted)",
		Args:  cobra.NoArgs,
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
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := buildVersion()
			if asJSON {
				return json.NewEncoder(a.io.out).Encode(map[string]string{"version": v, "go": runtime.Version(), "os": runtime.GOOS, "arch": runtime.GOARCH})
			}
			_, err := fmt.Fprintf(a.io.out, "summarize %s (%s %s/%s)\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return err
		},
	}
	c.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return c
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
