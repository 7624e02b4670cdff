package main

import (
	"context"
	"fmt"
	"io"

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
		return fmt.Errorf("--tpch: the built-in generator is not wired in yet")
	}
	return nil
}
