package engine

import (
	"context"
	"runtime"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/tpchgen"
)

// TPCHProgress reports generation: rows generated so far out of all rows.
// It is called from the generating goroutines.
type TPCHProgress func(done, total int64)

// LoadTPCH generates the eight TPC-H tables at scale factor sf in memory
// and registers them (replacing tables of the same names). Big tables are
// generated in parts by several goroutines of one structured group; a
// cancelled ctx stops every part within a few thousand rows, releases what
// was generated and leaves the catalog as it was.
func (e *Engine) LoadTPCH(ctx context.Context, sf float64, progress TPCHProgress) error {
	names := tpchgen.Tables()
	var total int64
	parts := make([]int, len(names))
	workers := max(runtime.GOMAXPROCS(0), 1)
	for i, name := range names {
		n, err := tpchgen.RowCount(name, sf)
		if err != nil {
			return err
		}
		total += n
		parts[i] = 1
		if n > 200_000 {
			parts[i] = workers
		}
	}
	var done atomic.Int64
	// slots[table][part] holds a part's batches; parts are appended in
	// order, so the data does not depend on the number of workers.
	slots := make([][][]arrow.Record, len(names))
	defer func() {
		for _, t := range slots {
			for _, p := range t {
				for _, r := range p {
					r.Release()
				}
			}
		}
	}()
	g := operators.NewGroup(ctx)
	for i, name := range names {
		slots[i] = make([][]arrow.Record, parts[i])
		for p := 0; p < parts[i]; p++ {
			g.Go("tpch "+name, func(ctx context.Context) error {
				gen, err := tpchgen.NewGenerator(name, tpchgen.Options{SF: sf, Mem: e.mem}, p, parts[i])
				if err != nil {
					return err
				}
				defer gen.Close()
				for {
					rec, err := gen.Next(ctx)
					if err != nil || rec == nil {
						return err
					}
					slots[i][p] = append(slots[i][p], rec)
					if progress != nil {
						progress(done.Add(rec.NumRows()), total)
					}
				}
			})
		}
	}
	if err := g.Wait(); err != nil {
		return err
	}
	for i, name := range names {
		schema, err := tpchgen.Schema(name)
		if err != nil {
			return err
		}
		t := catalog.NewMemTable(name, schema)
		for _, p := range slots[i] {
			if err := t.Append(p...); err != nil {
				t.Release()
				return err
			}
		}
		if err := e.Register(t, true); err != nil {
			t.Release()
			return err
		}
	}
	return nil
}
