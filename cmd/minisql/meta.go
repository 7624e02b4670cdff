package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/minisql/minisql/engine"
)

// metaCmd is a parsed shell command such as ".mode csv" or "\d lineitem".
type metaCmd struct {
	name string // canonical name without the dot: "schema", "quit", ...
	arg  string // the argument, "" when none was given
}

// metaSpec describes one meta command for parsing, .help and completion.
type metaSpec struct {
	name  string
	usage string // argument synopsis for .help
	help  string
	// arg says what the argument may be: "" none, "?" optional, "!" required.
	arg string
	// values, when set, are the only accepted arguments (also completed).
	values []string
}

// metaSpecs lists the commands in .help order. It is read-only.
var metaSpecs = []metaSpec{
	{name: "help", help: "show this help"},
	{name: "tables", help: "list the tables (also \\d)"},
	{name: "schema", usage: "[TABLE]", help: "show CREATE TABLE statements (also \\d TABLE)", arg: "?"},
	{name: "mode", usage: "MODE", help: "output mode: box, table, csv, json or markdown", arg: "?",
		values: []string{"box", "table", "csv", "json", "markdown"}},
	{name: "maxrows", usage: "N", help: "show at most N rows in box/table/markdown mode (0: all)", arg: "?"},
	{name: "timer", usage: "on|off", help: "print how long each statement took", arg: "?", values: []string{"on", "off"}},
	{name: "threads", usage: "N", help: "worker threads per query", arg: "?"},
	{name: "timeout", usage: "DURATION", help: "statement timeout, e.g. 5s (0: none)", arg: "?"},
	{name: "output", usage: "[FILE]", help: "write query results to FILE (no FILE: back to the screen)", arg: "?"},
	{name: "read", usage: "FILE", help: "run the SQL and commands in FILE", arg: "!"},
	{name: "open", usage: "DIR", help: "register every data file in DIR as a table", arg: "!"},
	{name: "quit", help: "exit (also \\q or Ctrl-D)"},
}

func findMeta(name string) (metaSpec, bool) {
	for _, s := range metaSpecs {
		if s.name == name {
			return s, true
		}
	}
	return metaSpec{}, false
}

// parseMeta parses a meta command line, checking its argument. A trailing
// ';' is forgiven, since SQL habits put one everywhere.
func parseMeta(line string) (metaCmd, error) {
	t := strings.TrimSpace(line)
	t = strings.TrimSpace(strings.TrimSuffix(t, ";"))
	word, rest := t, ""
	if i := strings.IndexAny(t, " \t"); i >= 0 {
		word, rest = t[:i], unquote(strings.TrimSpace(t[i:]))
	}
	var cmd metaCmd
	switch {
	case word == `\d`:
		cmd = metaCmd{name: "tables"}
		if rest != "" {
			cmd = metaCmd{name: "schema", arg: rest}
		}
		return cmd, nil
	case word == `\q`:
		cmd = metaCmd{name: "quit"}
	case word == ".exit":
		cmd = metaCmd{name: "quit"}
	case strings.HasPrefix(word, "."):
		cmd = metaCmd{name: strings.ToLower(word[1:]), arg: rest}
	default:
		return metaCmd{}, fmt.Errorf("unknown command %s (try .help)", word)
	}
	spec, ok := findMeta(cmd.name)
	if !ok {
		return metaCmd{}, fmt.Errorf("unknown command %s (try .help)", word)
	}
	if cmd.name == "quit" && rest != "" {
		return metaCmd{}, fmt.Errorf("%s takes no argument", word)
	}
	switch spec.arg {
	case "":
		if cmd.arg != "" {
			return metaCmd{}, fmt.Errorf(".%s takes no argument", spec.name)
		}
	case "!":
		if cmd.arg == "" {
			return metaCmd{}, fmt.Errorf("usage: .%s %s", spec.name, spec.usage)
		}
	}
	if cmd.arg == "" {
		return cmd, nil
	}
	if spec.values != nil {
		cmd.arg = strings.ToLower(cmd.arg)
		if !contains(spec.values, cmd.arg) {
			return metaCmd{}, fmt.Errorf(".%s: expected %s, got %q", spec.name, strings.Join(spec.values, ", "), cmd.arg)
		}
	}
	switch spec.name {
	case "maxrows":
		if n, err := strconv.Atoi(cmd.arg); err != nil || n < 0 {
			return metaCmd{}, fmt.Errorf(".maxrows: expected a number of rows (0: all), got %q", cmd.arg)
		}
	case "threads":
		if n, err := strconv.Atoi(cmd.arg); err != nil || n < 1 {
			return metaCmd{}, fmt.Errorf(".threads: expected a positive number, got %q", cmd.arg)
		}
	case "timeout":
		if _, err := engine.ParseDuration(cmd.arg); err != nil {
			return metaCmd{}, fmt.Errorf(".timeout: %w", err)
		}
	}
	return cmd, nil
}

// unquote strips one pair of matching quotes, so that a path with spaces
// can be given as .read 'my file.sql'.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '\'' || s[0] == '"') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// metaHelp is the text .help prints.
func metaHelp() string {
	var sb strings.Builder
	sb.WriteString("Statements end with ';' and may span lines. Ctrl-C cancels a running query\n")
	sb.WriteString("(or clears the line), Ctrl-R searches history, Tab completes, Ctrl-D exits.\n\n")
	for _, s := range metaSpecs {
		left := "." + s.name
		if s.usage != "" {
			left += " " + s.usage
		}
		fmt.Fprintf(&sb, "  %-18s %s\n", left, s.help)
	}
	return sb.String()
}
