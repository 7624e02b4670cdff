package tpchgen

import (
	"context"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/sqlerr"
)

// DefaultBatchSize is the number of rows per record when Options.BatchSize
// is 0.
const DefaultBatchSize = 8192

// MaxBatchSize bounds Options.BatchSize so that a batch's string data stays
// far below the 2 GiB that Arrow's int32 offsets can address.
const MaxBatchSize = 1 << 22

// chunkRows is the most rows generated between two context checks: about
// 0.1 ms of work even for lineitem, so a cancelled Next returns promptly
// whatever the batch size.
const chunkRows = 2048

// Options configure generation.
type Options struct {
	// SF is the TPC-H scale factor, in (0, 100000]; 1 is about 1 GB of text.
	SF float64
	// Seed selects the random streams; 0 means the default seed. The output
	// is a pure function of SF and Seed (the number of lines per order, and
	// so lineitem's cardinality, depends on SF only).
	Seed uint64
	// BatchSize is the number of rows per record (default 8192, at most
	// MaxBatchSize); the last record of a table or part may be shorter.
	BatchSize int
	// Mem allocates every Arrow buffer (default memory.DefaultAllocator).
	Mem memory.Allocator
}

func (o Options) withDefaults() (Options, error) {
	if o.Seed == 0 {
		o.Seed = defaultSeed
	}
	if o.BatchSize == 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.BatchSize < 0 || o.BatchSize > MaxBatchSize {
		return o, sqlerr.New(sqlerr.ErrInvalidValue, "TPC-H batch size must be in [1, %d], got %d", MaxBatchSize, o.BatchSize)
	}
	if o.Mem == nil {
		o.Mem = memory.DefaultAllocator
	}
	return o, nil
}

// Generator streams the rows of one table, or of one part of it, as Arrow
// records. It is not safe for concurrent use; run one Generator per part to
// generate in parallel.
type Generator struct {
	def       *tableDef
	f         filler
	mem       memory.Allocator
	batchSize int
	b         batch
	err       error // sticky: a batch interrupted by cancellation is lost
	closed    bool
}

// NewGenerator returns a generator for part of parts (0 <= part < parts) of
// table. The parts split the table into contiguous row ranges (lineitem and
// orders by order), so concatenating the output of parts 0..parts-1 gives
// exactly the rows of a single-part run, in the same order; only the batch
// boundaries may differ. region and nation are tiny: their rows go to the
// first parts.
func NewGenerator(tableName string, opts Options, part, parts int) (*Generator, error) {
	t, err := lookupTable(tableName)
	if err != nil {
		return nil, err
	}
	if parts < 1 || part < 0 || part >= parts {
		return nil, sqlerr.New(sqlerr.ErrInvalidValue, "TPC-H part %d of %d: need 0 <= part < parts", part, parts)
	}
	opts, err = opts.withDefaults()
	if err != nil {
		return nil, err
	}
	s, err := newScale(opts.SF)
	if err != nil {
		return nil, err
	}
	lo, hi := partRange(s.rows(t), part, parts)
	return &Generator{
		def:       &tableDefs[t],
		f:         newFiller(t, opts.Seed, s, lo, hi),
		mem:       opts.Mem,
		batchSize: opts.BatchSize,
	}, nil
}

// Schema returns the schema of the records.
func (g *Generator) Schema() *arrow.Schema { return g.def.schema }

// Next returns the next record, or (nil, nil) at the end of the table (and
// after Close). The caller owns the record and must release it. ctx is
// checked between chunks of at most 2048 rows; a cancelled call releases
// what it built and returns an error satisfying errors.Is(err,
// context.Canceled) (or DeadlineExceeded), and so does every later call.
func (g *Generator) Next(ctx context.Context) (arrow.Record, error) {
	if g.closed {
		return nil, nil
	}
	if g.err != nil {
		return nil, g.err
	}
	if err := ctx.Err(); err != nil {
		g.err = context.Cause(ctx)
		return nil, g.err
	}
	n := g.f.plan(g.batchSize)
	if n == 0 {
		return nil, nil
	}
	g.b.alloc(g.mem, g.def, n, g.f.maxLen)
	for from := 0; from < n; from += chunkRows {
		if from > 0 && ctx.Err() != nil {
			g.b.release()
			g.err = context.Cause(ctx)
			return nil, g.err
		}
		g.f.fill(&g.b, from, min(from+chunkRows, n))
	}
	return g.b.record(g.def), nil
}

// Close ends the stream. It holds no buffers between calls to Next, so it
// only marks the generator finished; it is idempotent.
func (g *Generator) Close() { g.closed = true }
