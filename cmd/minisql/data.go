package main

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/minisql/minisql/engine"
)

// loadData registers --data files and generates the --tpch database.
func loadData(ctx context.Context, eng *engine.Engine, o *options, stderr io.Writer) error {
	if o.data != "" {
		names, err := eng.RegisterDir(o.data)
		if err != nil {
			return err
		}
		if len(names) == 0 {
			return fmt.Errorf("no .parquet, .csv, .tbl or .arrow files in %s", o.data)
		}
	}
	if o.tpch > 0 {
		return loadTPCH(ctx, eng, o.tpch, stderr)
	}
	return nil
}

// loadTPCH generates the TPC-H tables in memory, with a progress line on
// stderr when it is a terminal.
func loadTPCH(ctx context.Context, eng *engine.Engine, sf float64, stderr io.Writer) error {
	tty := isTerminalWriter(stderr)
	start := time.Now()
	var last atomic.Int64
	err := eng.LoadTPCH(ctx, sf, func(done, total int64) {
		if !tty || total == 0 {
			return
		}
		// At most ten updates a second, from whichever goroutine is first.
		now := time.Now().UnixMilli()
		if prev := last.Load(); now-prev < 100 || !last.CompareAndSwap(prev, now) {
			return
		}
		fmt.Fprintf(stderr, "\rGenerating TPC-H SF %g in memory: %3d%%", sf, done*100/total)
	})
	if tty {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return err
	}
	if tty {
		fmt.Fprintf(stderr, "Generated TPC-H SF %g in %s\n", sf, time.Since(start).Round(time.Millisecond))
	}
	return nil
}
