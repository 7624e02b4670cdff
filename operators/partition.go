package operators

import (
	"hash/maphash"
	"math"
	"math/bits"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/vector"
)

// partitioner assigns rows to hash partitions by their key columns. Rows
// with equal keys (as GROUP BY compares them: NULLs equal, -0 = +0, every
// NaN equal) always get the same partition; a key type it does not know
// puts every row in partition 0, which is correct, only not balanced.
type partitioner struct {
	seed   maphash.Seed // the same for every worker's partitioner
	hashes []uint64
	sel    [][]int32
}

// split returns, per partition, the rows of rec that belong to it. The
// slices are reused by the next call.
func (p *partitioner) split(rec arrow.Record, keys []int, n int) [][]int32 {
	rows := int(rec.NumRows())
	if cap(p.hashes) < rows {
		p.hashes = make([]uint64, rows)
	}
	h := p.hashes[:rows]
	clear(h)
	known := true
	for _, k := range keys {
		known = known && p.hashColumn(rec.Column(k), h)
	}
	if len(p.sel) != n {
		p.sel = make([][]int32, n)
	}
	for q := range p.sel {
		p.sel[q] = p.sel[q][:0]
	}
	if !known || n == 1 {
		for i := range rows {
			p.sel[0] = append(p.sel[0], int32(i))
		}
		return p.sel
	}
	for i, x := range h {
		q, _ := bits.Mul64(mix64(x), uint64(n))
		p.sel[q] = append(p.sel[q], int32(i))
	}
	return p.sel
}

// hashColumn folds column c into h; false for a type it cannot hash.
func (p *partitioner) hashColumn(c arrow.Array, h []uint64) bool {
	const null = 0x9e3779b97f4a7c15
	nulls := c.NullN() > 0
	fold := func(i int, v uint64) {
		if nulls && c.IsNull(i) {
			v = null
		}
		h[i] = mix64(h[i]^v) + 1
	}
	switch a := c.(type) {
	case *array.Int64:
		for i, v := range a.Int64Values() {
			fold(i, uint64(v))
		}
	case *array.Int32:
		for i, v := range a.Int32Values() {
			fold(i, uint64(v))
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			fold(i, uint64(v))
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			fold(i, uint64(v))
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			switch {
			case v == 0:
				v = 0 // -0 groups with +0
			case v != v:
				v = math.NaN()
			}
			fold(i, math.Float64bits(v))
		}
	case *array.Decimal128:
		for i, v := range a.Values() {
			fold(i, v.LowBits()^mix64(uint64(v.HighBits())))
		}
	case *array.Boolean:
		for i := range a.Len() {
			fold(i, uint64(b2i(a.Value(i))))
		}
	case *array.String:
		for i := range a.Len() {
			fold(i, maphash.Bytes(p.seed, vector.StringAt(a, i)))
		}
	default:
		return false
	}
	return true
}

// mix64 is a 64-bit finaliser (murmur3's): every input bit affects every
// output bit, so the partition (the high bits) depends on the whole key.
// It is deliberately not hashtab's finaliser (SplitMix64's): each final
// aggregate hashes its partition's keys again, and if both hashes were the
// same, every key of a partition would share the high bits the table's
// slots are picked by.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}
