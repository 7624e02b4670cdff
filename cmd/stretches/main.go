// Command stretches measures how long each operator works between two
// cancellation checks, apart from what the machine adds.
//
// It runs every query of the .sql files it is given once to warm the
// engine, then -runs times with each stretch's time on the CPU bounded
// (the engine's CPUBounds setting, which EXPLAIN ANALYZE also uses), and
// reports per operator the shortest of its runs' longest stretches: the
// bound on its own work that the least disturbed run gives (see survey).
// It exits 1 when an operator's bound reaches -limit, the 1 ms of issue 6.
//
//	go run ./cmd/stretches -data ~/.cache/minisql/tpch-sf1 -runs 5
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/minisql/minisql/engine"
)

func main() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }

// options are the command-line flags.
type options struct {
	data    string
	queries []string
	runs    int
	threads int
	top     int
	limit   time.Duration
}

func run(ctx context.Context, args []string, out, errOut io.Writer) int {
	o, err := parseFlags(args, errOut)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintf(errOut, "stretches: %v\n", err)
		return 2
	}
	files, err := sqlFiles(o.queries)
	if err != nil {
		fmt.Fprintf(errOut, "stretches: %v\n", err)
		return 2
	}
	settings := engine.DefaultSettings()
	settings.Threads, settings.CPUBounds = o.threads, true
	eng := engine.Open(engine.WithSettings(settings))
	defer eng.Close()
	if o.data != "" {
		if _, err := eng.RegisterDir(o.data); err != nil {
			fmt.Fprintf(errOut, "stretches: %v\n", err)
			return 2
		}
	}
	var s survey
	start := time.Now()
	for _, f := range files {
		if err := surveyFile(ctx, eng, f, o.runs, &s); err != nil {
			fmt.Fprintf(errOut, "stretches: %v\n", err)
			return 1
		}
	}
	fmt.Fprintf(out, "%d statements, warmed up then run %d times each at threads=%d (%s)\n",
		len(s.queries), o.runs, o.threads, time.Since(start).Round(time.Second))
	if !s.report(out, o.top, o.limit) {
		return 1
	}
	return 0
}

func parseFlags(args []string, errOut io.Writer) (options, error) {
	fs := flag.NewFlagSet("stretches", flag.ContinueOnError)
	fs.SetOutput(errOut)
	var o options
	fs.StringVar(&o.data, "data", "", "register every .parquet, .csv, .tbl and .arrow file in `DIR` as a table")
	fs.Func("q", "a .sql `file` or a directory of them (repeatable; default testdata/tpch/queries and testdata/stretch)", func(v string) error {
		o.queries = append(o.queries, v)
		return nil
	})
	fs.IntVar(&o.runs, "runs", 5, "measured runs of each statement")
	fs.IntVar(&o.threads, "threads", 1, "workers per query")
	fs.IntVar(&o.top, "top", 20, "operators listed")
	fs.DurationVar(&o.limit, "limit", time.Millisecond, "the bound no operator may reach")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.runs < 1 || o.threads < 1 || o.top < 0 || o.limit <= 0 {
		return o, errors.New("-runs and -threads must be at least 1, -top at least 0, -limit positive")
	}
	if len(o.queries) == 0 {
		o.queries = []string{"testdata/tpch/queries", "testdata/stretch"}
	}
	return o, nil
}

// sqlFiles lists the .sql files named, directories by their contents in
// name order.
func sqlFiles(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		found, err := filepath.Glob(filepath.Join(p, "*.sql"))
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("no .sql files in %s", p)
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	return files, nil
}

// surveyFile runs each statement of file once to warm up, then runs times
// into s.
func surveyFile(ctx context.Context, eng *engine.Engine, file string, runs int, s *survey) error {
	text, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	stmts, err := engine.Statements(string(text))
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	base := strings.TrimSuffix(filepath.Base(file), ".sql")
	for i, st := range stmts {
		name := base
		if len(stmts) > 1 {
			name = fmt.Sprintf("%s#%d", base, i+1)
		}
		for r := 0; r <= runs; r++ {
			stats, err := runOnce(ctx, eng, st.Text)
			if err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
			if r > 0 && len(stats) > 0 {
				if err := s.add(name, stats); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// runOnce runs sql to its end and returns its operators' figures.
func runOnce(ctx context.Context, eng *engine.Engine, sql string) ([]engine.OperatorStat, error) {
	rows, err := eng.Query(ctx, sql)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
	}
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	return rows.OperatorStats(), nil
}
