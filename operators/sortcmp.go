package operators

import (
	"bytes"
	"cmp"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// SortKey orders by one input column. NULLs sort last in both directions
// unless NullsFirst is set, as in DuckDB.
type SortKey struct {
	Col        int
	Desc       bool
	NullsFirst bool
}

func (k SortKey) String() string {
	s := fmt.Sprintf("#%d", k.Col)
	if k.Desc {
		s += " DESC"
	}
	if k.NullsFirst {
		s += " NULLS FIRST"
	}
	return s
}

func describeKeys(keys []SortKey, schema *arrow.Schema) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = schema.Field(k.Col).Name
		if k.Desc {
			parts[i] += " DESC"
		}
		if k.NullsFirst {
			parts[i] += " NULLS FIRST"
		}
	}
	return strings.Join(parts, ", ")
}

// keyColumn gives typed access to one sort key across a list of batches.
type keyColumn struct {
	kind       types.Kind
	desc       bool
	nullsFirst bool
	arrs       []arrow.Array
	ints       [][]int64
	floats     [][]float64
	dates      [][]arrow.Date32
	decs       [][]decimal128.Num
	strOffs    [][]int32 // per batch: string offsets, as vector.StringData gives them
	strData    [][]byte
	bools      []*array.Boolean
	nulls      bool
}

// rowComparator compares rows addressed as (batch, row) over the batches it
// was built for, key by key.
type rowComparator struct {
	keys []SortKey
	cols []keyColumn
}

func newRowComparator(keys []SortKey, schema *arrow.Schema) *rowComparator {
	rc := &rowComparator{keys: keys, cols: make([]keyColumn, len(keys))}
	for k, key := range keys {
		c := &rc.cols[k]
		c.desc, c.nullsFirst = key.Desc, key.NullsFirst
		c.kind = types.MustFromArrow(schema.Field(key.Col).Type).Kind
	}
	return rc
}

// addBatch makes batch number len(batches so far) comparable.
func (rc *rowComparator) addBatch(rec arrow.Record) {
	for k, key := range rc.keys {
		rc.cols[k].add(rec.Column(key.Col))
	}
}

// add appends one more batch's key array.
func (c *keyColumn) add(a arrow.Array) {
	c.arrs = append(c.arrs, a)
	c.nulls = c.nulls || a.NullN() > 0
	switch c.kind {
	case types.Int64, types.Timestamp:
		c.ints = append(c.ints, vector.Int64View(a))
	case types.Float64:
		c.floats = append(c.floats, a.(*array.Float64).Float64Values())
	case types.Date:
		c.dates = append(c.dates, a.(*array.Date32).Date32Values())
	case types.Decimal:
		c.decs = append(c.decs, a.(*array.Decimal128).Values())
	case types.String:
		offs, data := vector.StringData(a.(*array.String))
		c.strOffs, c.strData = append(c.strOffs, offs), append(c.strData, data)
	case types.Bool:
		c.bools = append(c.bools, a.(*array.Boolean))
	}
}

// compare orders row ra of batch ba against row rb of batch bb.
func (rc *rowComparator) compare(ba, ra, bb, rb int) int { return rc.compareFrom(0, ba, ra, bb, rb) }

// compareFrom is compare on keys from number first on, for rows known to be
// equal on the keys before.
func (rc *rowComparator) compareFrom(first, ba, ra, bb, rb int) int {
	for i := first; i < len(rc.cols); i++ {
		c := &rc.cols[i]
		if c.nulls {
			na, nb := c.arrs[ba].IsNull(ra), c.arrs[bb].IsNull(rb)
			if na || nb {
				if na && nb {
					continue
				}
				// NULL placement does not flip with DESC.
				if na == c.nullsFirst {
					return -1
				}
				return 1
			}
		}
		var r int
		switch c.kind {
		case types.Int64, types.Timestamp:
			r = cmp.Compare(c.ints[ba][ra], c.ints[bb][rb])
		case types.Float64:
			r = compareFloats(c.floats[ba][ra], c.floats[bb][rb])
		case types.Date:
			r = cmp.Compare(c.dates[ba][ra], c.dates[bb][rb])
		case types.Decimal:
			r = types.CmpInt128(c.decs[ba][ra], c.decs[bb][rb])
		case types.String:
			oa, ob := c.strOffs[ba], c.strOffs[bb]
			r = bytes.Compare(c.strData[ba][oa[ra]:oa[ra+1]], c.strData[bb][ob[rb]:ob[rb+1]])
		case types.Bool:
			r = cmp.Compare(b2i(c.bools[ba].Value(ra)), b2i(c.bools[bb].Value(rb)))
		}
		if r != 0 {
			if c.desc {
				return -r
			}
			return r
		}
	}
	return 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// compareFloats orders doubles as floatImage does: NaN greatest (where
// cmp.Compare puts it first), -0 equal to +0.
func compareFloats(x, y float64) int {
	if x != x || y != y {
		return cmp.Compare(b2i(x != x), b2i(y != y))
	}
	return cmp.Compare(x, y)
}
