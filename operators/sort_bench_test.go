package operators_test

import (
	"testing"

	"github.com/minisql/minisql/operators"
)

// BenchmarkMergeExchange: the merge of two sorted streams of 512K rows
// each (already sorted, so only the merge is timed), by one BIGINT key or
// by a low-cardinality key then a BIGINT, carrying one payload column.
func BenchmarkMergeExchange(b *testing.B) {
	const half = benchRows / 2
	for _, tc := range []struct {
		name string
		keys []operators.SortKey
		k1   func(i int) int64 // row i's first key, non-decreasing in i
	}{
		{"int64", []operators.SortKey{{Col: 0}}, func(i int) int64 { return int64(i) }},
		{"two_keys", []operators.SortKey{{Col: 0}, {Col: 1}}, func(i int) int64 { return int64(i / 4096) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			// Stream s holds rows s, s+2, s+4, ...: the merge alternates.
			streams := make([]*input, 2)
			for s := range streams {
				streams[s] = makeInput(b, half,
					int64Col("k1", func(i int) int64 { return tc.k1(2*i + s) }),
					int64Col("k2", func(i int) int64 { return int64(2*i + s) }),
					int64Col("payload", func(i int) int64 { return int64(i) }))
			}
			runOp(b, benchRows, streams[0].bytes+streams[1].bytes, func(*testing.B) operators.Operator {
				return operators.NewMergeExchange([]operators.Operator{streams[0].source(), streams[1].source()}, tc.keys, benchBatch)
			})
		})
	}
}
