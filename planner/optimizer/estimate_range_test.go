package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/planner/optimizer"
	"github.com/minisql/minisql/planner/plan"
)

// TestRangeSelectivity checks the rows a filter is estimated to keep when
// it compares columns of known range with constants (t.a is 0..999, t.d
// 100 days from 1992-01-01, t.m 0.00..49.00): comparisons of one column
// intersect, either operand order reads the same, and other predicates
// keep their guesses.
func TestRangeSelectivity(t *testing.T) {
	cat := newCatalog(t, basicTables()...)
	for _, tc := range []struct {
		where string
		want  float64
	}{
		{"a >= 100 AND a < 200", 100},
		{"a < 200 AND a >= 100 AND a < 150", 50},
		{"900 < a", 99},
		{"a > 5000", 1},                           // outside the range: the floor
		{"a < 500 AND c = 'x'", 100},              // half, and 1/ndv(c) = 1/5
		{"d >= DATE '1992-01-21'", 800},           // days 20..99 of 0..99
		{"m >= 24.5", 500},                        // 24.5..49 of 0..49
		{"c < 'm'", 400},                          // strings: no range, the old guess
		{"a >= 100 AND a < 200 OR a >= 900", 190}, // each side by its range
	} {
		t.Run(tc.where, func(t *testing.T) {
			root := bind(t, cat, "SELECT a FROM t WHERE "+tc.where)
			filters := findAll[*plan.Filter](root)
			require.Len(t, filters, 1)
			assert.InDelta(t, tc.want, optimizer.Estimates(root)(filters[0]), tc.want*0.05+1)
		})
	}
}
