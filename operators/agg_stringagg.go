package operators

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/paged"
	"github.com/minisql/minisql/vector"
)

// stringAggAcc is string_agg: each group's strings joined with the
// separator, in the order the rows arrive (DuckDB's, without an ORDER BY,
// is no more defined). NULLs are skipped; a group of none is NULL.
type stringAggAcc struct {
	sep   []byte
	texts paged.Vec[[]byte]
	seen  paged.Vec[bool]
	bytes int64 // the texts' bytes, for memBytes
}

func (a *stringAggAcc) resize(t *Task, n int) error { return growState(t, n, &a.texts, &a.seen) }

func (a *stringAggAcc) update(t *Task, gids []int32, arg arrow.Array) error {
	s, ok := arg.(*array.String)
	if !ok { // the NULL type: nothing to join
		return nil
	}
	texts, seen := a.texts.View(), a.seen.View()
	for i := 0; i < s.Len(); i++ {
		if s.IsNull(i) {
			continue
		}
		g := 0
		if gids != nil {
			g = int(gids[i])
		}
		text, had := texts.At(g), seen.At(g)
		before := len(*text)
		if *had {
			*text = append(*text, a.sep...)
		}
		*text = append(*text, vector.StringAt(s, i)...)
		*had = true
		a.bytes += int64(len(*text) - before)
	}
	return nil
}

func (a *stringAggAcc) finish(mem memory.Allocator, from, to int) arrow.Array {
	total := 0
	a.texts.Chunks(from, to, func(_ int, s [][]byte) {
		for _, b := range s {
			total += len(b)
		}
	})
	obuf, offs := vector.AllocValuesUninit[int32](mem, to-from+1)
	dbuf := vector.NewBufferUninit(mem, total)
	data := dbuf.Bytes()
	pos := int32(0)
	a.texts.Chunks(from, to, func(start int, s [][]byte) {
		for i, b := range s {
			offs[start-from+i] = pos
			pos += int32(copy(data[pos:], b))
		}
	})
	offs[to-from] = pos
	validity, nulls := seenValidityOf(mem, &a.seen, from, to)
	return vector.NewStringArray(to-from, validity, nulls, obuf, dbuf)
}

func (a *stringAggAcc) memBytes() int64 { return a.texts.Bytes() + a.seen.Bytes() + a.bytes }
