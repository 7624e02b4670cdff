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
	"time"

	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/tpchgen"
)

// runGen implements `minisql gen tpch --sf N --out DIR [--format parquet|csv]`.
func runGen(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "tpch" {
		fmt.Fprintln(stderr, "Usage: minisql gen tpch --sf N --out DIR [--format parquet|csv] [--seed S]")
		return exitError
	}
	fs := flag.NewFlagSet("minisql gen tpch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sf := fs.Float64("sf", 1, "scale factor (1 is about 1 GB of raw data, 6M lineitem rows)")
	out := fs.String("out", "", "output `DIR` (created if missing)")
	format := fs.String("format", "parquet", "file format: parquet or csv")
	seed := fs.Uint64("seed", 0, "random seed (0: the default); output is a pure function of --sf and --seed")
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitError
	}
	if *out == "" {
		fmt.Fprintln(stderr, "Error: --out DIR is required")
		return exitError
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Generation runs its goroutines in one structured group: Ctrl-C
	// cancels them all, and partial files are removed.
	g := operators.NewGroup(ctx)
	start := time.Now()
	st, err := tpchgen.Generate(g.Context(), *out, tpchgen.Options{SF: *sf, Seed: *seed}, *format, g.Go)
	if werr := g.Wait(); err == nil {
		err = werr
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "Interrupted; no files written")
			return exitInterrupted
		}
		fmt.Fprintln(stderr, "Error:", err)
		return exitError
	}
	for _, t := range st.Tables {
		fmt.Fprintf(stdout, "%-9s %10d rows %12d bytes  %s\n", t.Table, t.Rows, t.Bytes, t.Path)
	}
	fmt.Fprintf(stdout, "TPC-H SF %g: %d rows, %d bytes in %s\n", *sf, st.Rows, st.Bytes, time.Since(start).Round(time.Millisecond))
	return exitOK
}
