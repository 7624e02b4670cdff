// Package bench holds minisql's end-to-end benchmarks: the 22 TPC-H queries
// over data from the built-in generator (see BENCHMARKS.md at the root of
// the repository). It has test files only: nothing here is part of the
// product.
package bench

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no query leaves a goroutine behind, after the
// answer checks and the timed runs alike.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
