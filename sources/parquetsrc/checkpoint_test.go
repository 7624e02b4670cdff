package parquetsrc

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeBigPage writes one BIGINT column of n random values as a single
// PLAIN Snappy page (n*8 bytes decoded), as tpchgen and DuckDB lay out
// their column chunks.
func writeBigPage(t *testing.T, n int) (string, arrow.Record) {
	rng := rand.New(rand.NewPCG(3, 4))
	sc := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.PrimitiveTypes.Int64}}, nil)
	rec := buildRecord(memory.NewGoAllocator(), sc, func(b *array.RecordBuilder) {
		for range n {
			b.Field(0).(*array.Int64Builder).Append(rng.Int64N(1 << 40))
		}
	})
	t.Cleanup(rec.Release)
	path := writeArrow(t, rec, parquet.WithDictionaryDefault(false), parquet.WithDataPageSize(64<<20))
	return path, rec
}

// checkCounter is a checkpoint that counts its calls and fails from call
// failAt on (never if 0).
type checkCounter struct {
	calls, failAt int
	err           error
}

func (c *checkCounter) check() error {
	c.calls++
	if c.failAt > 0 && c.calls >= c.failAt {
		return c.err
	}
	return nil
}

// TestCheckpointInLargePages: the reader calls its checkpoint between the
// pieces of a large Snappy page, not only once per batch, and stops
// where it returns an error, with that very error, for good.
func TestCheckpointInLargePages(t *testing.T) {
	const rows = 200_000 // a 1.6 MB page: thirteen pieces
	path, want := writeBigPage(t, rows)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	pieces := (rows*8 + snappyPiece - 1) / snappyPiece

	t.Run("called between pieces", func(t *testing.T) {
		mem := newMem(t)
		r, err := f.NewReader(f.AllRowGroups(), []int{0}, 1000, mem)
		require.NoError(t, err)
		defer r.Close()
		c := &checkCounter{}
		rec, err := r.NextChecked(t.Context(), c.check)
		require.NoError(t, err)
		defer rec.Release()
		// One at the start of Next, one before the first column (starting
		// the row group), one between each two pieces decoded, one
		// between each two pieces read from the file after the first
		// read (minRead bytes, for the page header), and those of
		// touching the new buffers the chunk is read and decoded into:
		// minRead bytes for the header, then the chunk, then the page.
		chunk := int(f.chunks[0][0].length)
		reads := (chunk - minRead + readPiece - 1) / readPiece
		touches := touchChecks(minRead) + touchChecks(chunk) + touchChecks(rows*8)
		assert.Equal(t, 2+pieces-1+reads-1+touches, c.calls)
		first := array.NewSlice(want.Column(0), 0, 1000)
		defer first.Release()
		assert.True(t, array.Equal(first, rec.Column(0)))
	})
	t.Run("stops mid page", func(t *testing.T) {
		mem := newMem(t)
		r, err := f.NewReader(f.AllRowGroups(), []int{0}, 1000, mem)
		require.NoError(t, err)
		defer r.Close()
		boom := errors.New("query cancelled")
		c := &checkCounter{failAt: 4, err: boom}
		rec, err := r.NextChecked(t.Context(), c.check)
		assert.Nil(t, rec)
		require.Equal(t, boom, err, "the checkpoint's error, not wrapped in an I/O error")
		assert.Equal(t, 4, c.calls, "decoding stopped at the failing check")
		_, err = r.Next(t.Context())
		assert.Equal(t, boom, err, "a read stopped half way through a page is not resumed")
	})
}

// touchChecks is the checks touch makes over a new buffer of n bytes.
func touchChecks(n int) int {
	if n <= touchPages*osPage {
		return 0
	}
	return ((n+osPage-1)/osPage - 1) / touchPages
}
