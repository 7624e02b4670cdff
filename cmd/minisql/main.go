// Command minisql is the minisql shell: a REPL on a terminal, and a batch
// runner of SQL from -c, -f or standard input.
//
//	minisql [--data DIR] [--format table|csv|json] [--threads N] [--timeout DUR] [--memory-limit SIZE] (-c SQL | -f FILE)
//
// Exit status: 0 on success, 1 with the error on stderr on failure, 130
// when interrupted (SIGINT cancels the running query first).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"

	"github.com/minisql/minisql/engine"
)

const (
	exitOK          = 0
	exitError       = 1
	exitInterrupted = 130
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// options are the command-line flags.
type options struct {
	data    string
	format  string
	threads int
	timeout string
	memory  string
	profile string
	memprof string
	command string
	file    string
	tpch    float64
	hasCmd  bool
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	o := &options{}
	fs := flag.NewFlagSet("minisql", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.data, "data", "", "register every .parquet, .csv, .tbl and .arrow file in `DIR` as a table")
	fs.StringVar(&o.format, "format", "table", "output format: table, csv or json")
	fs.IntVar(&o.threads, "threads", 0, "worker threads per query (default: all cores)")
	fs.StringVar(&o.timeout, "timeout", "", "statement timeout, e.g. 5s (default: none)")
	fs.StringVar(&o.memory, "memory-limit", "", "most memory one query may use, e.g. 2GB (default: 80% of RAM; none: no limit)")
	fs.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the run to `FILE` (for go tool pprof)")
	fs.StringVar(&o.memprof, "memprofile", "", "write a heap profile (every allocation of the run) to `FILE` at exit")
	fs.StringVar(&o.command, "c", "", "run `SQL` (taken verbatim, even if it starts with --) and exit")
	fs.StringVar(&o.file, "f", "", "run the SQL script in `FILE` and exit")
	fs.Float64Var(&o.tpch, "tpch", 0, "generate a TPC-H database at scale factor `SF` in memory")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: minisql [flags] [-c SQL | -f FILE]\n       minisql gen tpch --sf N --out DIR [--format parquet|csv]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	fs.Visit(func(f *flag.Flag) { o.hasCmd = o.hasCmd || f.Name == "c" })
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (SQL goes after -c)", fs.Arg(0))
	}
	switch o.format {
	case "table", "csv", "json":
	default:
		return nil, fmt.Errorf("--format must be table, csv or json, not %q", o.format)
	}
	if o.hasCmd && o.file != "" {
		return nil, errors.New("give -c or -f, not both")
	}
	return o, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "gen" {
		return runGen(args[1:], stdout, stderr)
	}
	o, err := parseFlags(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintln(stderr, "Error:", err)
		return exitError
	}
	if o.profile != "" {
		stop, err := startProfile(o.profile)
		if err != nil {
			fmt.Fprintln(stderr, "Error:", err)
			return exitError
		}
		defer stop()
	}
	if o.memprof != "" {
		// Deferred before the engine's Close, so it runs after it.
		defer func() {
			if err := writeHeapProfile(o.memprof); err != nil {
				fmt.Fprintln(stderr, "Error:", err)
			}
		}()
	}
	eng := engine.Open()
	defer eng.Close()
	sess := eng.NewSession()
	if err := applySettings(sess, o); err != nil {
		fmt.Fprintln(stderr, "Error:", err)
		return exitError
	}
	// The shell needs a terminal at both ends: liner cannot edit a line
	// whose echo goes to a file.
	interactive := !o.hasCmd && o.file == "" && isTerminal(stdin) && isTerminalWriter(stdout)
	if interactive && o.data == "" && o.tpch == 0 {
		// The shell with no data of its own opens a small built-in TPC-H
		// database, so there is something to query (and cancel) at once.
		o.tpch = replDefaultScale
	}
	if err := loadData(context.Background(), eng, o, stderr); err != nil {
		fmt.Fprintln(stderr, "Error:", err)
		return exitError
	}
	var script string
	switch {
	case o.hasCmd:
		script = o.command
	case o.file != "":
		b, err := os.ReadFile(o.file)
		if err != nil {
			fmt.Fprintln(stderr, "Error:", err)
			return exitError
		}
		script = string(b)
	case interactive:
		return runREPL(eng, sess, o, stdin, stdout, stderr)
	default:
		b, err := io.ReadAll(stdin)
		if err != nil {
			fmt.Fprintln(stderr, "Error:", err)
			return exitError
		}
		script = string(b)
	}
	// SIGINT cancels the running query; the script then stops with 130.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = runScript(ctx, sess, script, o.format, stdout)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "Interrupted")
			return exitInterrupted
		}
		printError(stderr, script, err)
		return exitError
	}
	return exitOK
}

func applySettings(sess *engine.Session, o *options) error {
	if o.threads != 0 {
		if err := sess.Set("threads", fmt.Sprint(o.threads)); err != nil {
			return err
		}
	}
	if o.timeout != "" {
		if err := sess.Set("statement_timeout", o.timeout); err != nil {
			return err
		}
	}
	if o.memory != "" {
		if err := sess.Set("memory_limit", o.memory); err != nil {
			return err
		}
	}
	return nil
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// runScript runs every statement of a script, printing each result.
func runScript(ctx context.Context, sess *engine.Session, script, format string, out io.Writer) error {
	pieces, err := engine.Statements(script)
	if err != nil {
		return err
	}
	for _, p := range pieces {
		rows, err := sess.Query(ctx, p.Text)
		if err != nil {
			return offsetError(err, p.Offset)
		}
		err = render(ctx, rows, format, out, renderOptions{})
		cerr := rows.Close()
		if err == nil {
			err = cerr
		}
		if err != nil {
			return offsetError(err, p.Offset)
		}
	}
	return nil
}
