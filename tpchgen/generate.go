package tpchgen

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"github.com/minisql/minisql/sqlerr"
)

// TableStats describes one written file.
type TableStats struct {
	Table   string
	Path    string
	Rows    int64
	Bytes   int64         // file size
	Elapsed time.Duration // generation and writing of this table
}

// Stats describes a Generate run.
type Stats struct {
	Tables  []TableStats // canonical table order
	Rows    int64
	Bytes   int64
	Elapsed time.Duration
}

// Formats accepted by Generate.
const (
	FormatParquet = "parquet"
	FormatCSV     = "csv"
)

// spawnOrder starts the biggest tables first: lineitem alone is about two
// thirds of the work, so it must not wait behind the small ones.
var spawnOrder = [numTables]table{tLineitem, tOrders, tPartsupp, tPart, tCustomer, tSupplier, tNation, tRegion}

// Generate writes one <table>.parquet or <table>.csv (with a header row) per
// TPC-H table into dir, creating dir if needed. format is "parquet" (snappy,
// row groups of 122,880 rows, decimals as DECIMAL(15,2) and dates as DATE)
// or "csv" (RFC 4180, decimals with two digits, dates as YYYY-MM-DD).
//
// spawn runs helper goroutines under the caller's structured-concurrency
// group: per table, one that encodes and writes and one that generates a
// record ahead of it (16 in all). It must start each function on a goroutine
// of its own (not run it inline) and eventually run every function it is
// given. With a nil spawn the tables are generated and written one after
// the other on the calling goroutine. Either way everything is joined
// before Generate returns; an error in one table cancels the others.
//
// Records are built in opts.Mem (each table recycles its own buffers and
// returns them all before Generate returns); the Parquet encoder's internal
// buffers live on the Go heap, so that a cancelled writer can be dropped
// without first encoding what it holds.
//
// Files are written under temporary names and renamed only when every table
// is complete, so a failed or cancelled run leaves no partial file behind
// (and does not clobber an earlier complete set). A cancelled run returns an
// error satisfying errors.Is(err, context.Canceled).
func Generate(ctx context.Context, dir string, opts Options, format string, spawn func(name string, fn func(context.Context) error)) (Stats, error) {
	start := time.Now()
	format = strings.ToLower(format)
	if format != FormatParquet && format != FormatCSV {
		return Stats{}, sqlerr.New(sqlerr.ErrInvalidValue, "TPC-H output format must be parquet or csv, got %q", format)
	}
	opts, err := opts.withDefaults()
	if err != nil {
		return Stats{}, err
	}
	if _, err := newScale(opts.SF); err != nil {
		return Stats{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, sqlerr.Wrap(sqlerr.ErrIO, err, "create %s", dir)
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	var stats [numTables]TableStats
	var errs [numTables]error
	var helpers spawnFunc // nil when sequential
	run := func(ctx context.Context, t table) error {
		name := tableDefs[t].name
		path := filepath.Join(dir, name+"."+format)
		st, err := writeTable(ctx, path+".partial", t, opts, format, helpers)
		st.Table, st.Path = name, path
		stats[t], errs[t] = st, err
		if err != nil {
			cancel(err) // stop the siblings
		}
		return err
	}

	if spawn == nil {
		for _, t := range canonicalOrder() {
			if run(ctx, t) != nil {
				break
			}
		}
	} else {
		// Every goroutine started here (a writer per table and its
		// producer) is counted in wg and stops once ctx is cancelled;
		// the wait below joins them all, so none outlives the call.
		var wg sync.WaitGroup
		helpers = func(name string, fn func(context.Context) error) {
			wg.Add(1)
			spawn(name, func(gctx context.Context) error {
				defer wg.Done()
				// Stop when either the caller's ctx or the group's ends.
				stop := context.AfterFunc(gctx, func() { cancel(context.Cause(gctx)) })
				defer stop()
				return fn(ctx)
			})
		}
		for _, t := range spawnOrder {
			helpers("tpchgen "+tableDefs[t].name, func(ctx context.Context) error { return run(ctx, t) })
		}
		wg.Wait()
	}

	if err := firstError(ctx, errs[:]); err != nil {
		for _, st := range stats {
			if st.Path != "" {
				_ = os.Remove(st.Path + ".partial")
			}
		}
		return Stats{}, err
	}
	out := Stats{Tables: stats[:]}
	for i, st := range stats {
		if err := os.Rename(st.Path+".partial", st.Path); err != nil {
			for _, rest := range stats[i:] {
				_ = os.Remove(rest.Path + ".partial")
			}
			return Stats{}, sqlerr.Wrap(sqlerr.ErrIO, err, "rename %s", st.Path)
		}
		out.Rows += st.Rows
		out.Bytes += st.Bytes
	}
	out.Elapsed = time.Since(start)
	return out, nil
}

func canonicalOrder() []table {
	ts := make([]table, numTables)
	for i := range ts {
		ts[i] = table(i)
	}
	return ts
}

// firstError picks the error to report: the root cause rather than the
// cancellations it triggered in the other tables.
func firstError(ctx context.Context, errs []error) error {
	var canceled error
	for _, err := range errs {
		switch {
		case err == nil:
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			if canceled == nil {
				canceled = err
			}
		default:
			return err
		}
	}
	if canceled != nil {
		return canceled
	}
	if ctx.Err() != nil { // cancelled before a table started
		return context.Cause(ctx)
	}
	return nil
}

// writeTable generates table t into path in format.
func writeTable(ctx context.Context, path string, t table, opts Options, format string, spawn spawnFunc) (st TableStats, err error) {
	start := time.Now()
	f, err := os.Create(path)
	if err != nil {
		return st, sqlerr.Wrap(sqlerr.ErrIO, err, "create %s", path)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = sqlerr.Wrap(sqlerr.ErrIO, cerr, "close %s", path)
		}
		if err != nil {
			_ = os.Remove(path)
		}
	}()
	st.Rows, err = writeTo(ctx, f, t, opts, format, spawn)
	if err != nil {
		return st, sqlerr.Wrap(sqlerr.ErrIO, err, "write %s", path)
	}
	if fi, err := f.Stat(); err == nil {
		st.Bytes = fi.Size()
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// writeTo generates table t into w in format and returns the row count.
// With a spawn function, generation runs one goroutine ahead of encoding.
func writeTo(ctx context.Context, w io.Writer, t table, opts Options, format string, spawn spawnFunc) (int64, error) {
	rc := newRecycler(opts.Mem)
	defer rc.release() // after every record is released (deferred below)
	opts.Mem = rc
	g, err := NewGenerator(tableDefs[t].name, opts, 0, 1)
	if err != nil {
		return 0, err
	}
	defer g.Close()
	next := g.Next
	if spawn != nil {
		p := startPrefetch(ctx, tableDefs[t].name, g, spawn)
		defer p.stop() // before g.Close: the producer is done with g
		next = p.next
	}
	var tw tableWriter
	if format == FormatParquet {
		tw, err = newParquetWriter(w, g.Schema())
	} else {
		tw, err = newCSVWriter(w, g.Schema())
	}
	if err != nil {
		return 0, err
	}
	var rows int64
	for {
		rec, err := next(ctx)
		if err != nil {
			tw.abort()
			return rows, err
		}
		if rec == nil {
			break
		}
		rows += rec.NumRows()
		err = tw.write(ctx, rec)
		rec.Release()
		if err != nil {
			tw.abort()
			return rows, err
		}
	}
	if err := tw.close(ctx); err != nil {
		tw.abort()
		return rows, err
	}
	return rows, nil
}

// tableWriter writes the records of one table to a file.
type tableWriter interface {
	write(ctx context.Context, rec arrow.Record) error
	close(ctx context.Context) error // finishes the file
	abort()                          // releases everything after a failure; the file is removed
}
