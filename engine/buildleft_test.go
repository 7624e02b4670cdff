package engine_test

import (
	"context"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
)

// A LEFT JOIN whose left side is much smaller hashes the left side (the
// slt files check the answers); one whose left side is not keeps hashing
// the right.
func TestLeftJoinBuildsOnTheSmallSide(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	for _, sql := range []string{
		"CREATE TABLE small AS SELECT range AS k FROM range(10)",
		"CREATE TABLE large AS SELECT range AS k FROM range(100000)",
	} {
		_, err := e.Exec(context.Background(), sql)
		require.NoError(t, err)
	}
	plan := explainText(t, e, "SELECT count(*) FROM small LEFT JOIN large ON small.k = large.k")
	assert.True(t, strings.Contains(plan, "HashJoin Left") && strings.Contains(plan, "(build left)"), plan)
	plan = explainText(t, e, "SELECT count(*) FROM large LEFT JOIN small ON small.k = large.k")
	assert.True(t, strings.Contains(plan, "HashJoin Left") && !strings.Contains(plan, "(build left)"), plan)
}

// A FULL JOIN hashes its smaller side whichever side that is: the large
// table is always the one the probes stream.
func TestFullJoinBuildsOnTheSmallSide(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	for _, sql := range []string{
		"CREATE TABLE small AS SELECT range AS k FROM range(10)",
		"CREATE TABLE large AS SELECT range AS k FROM range(100000)",
	} {
		_, err := e.Exec(context.Background(), sql)
		require.NoError(t, err)
	}
	for _, sql := range []string{
		"SELECT count(*) FROM small FULL JOIN large ON small.k = large.k",
		"SELECT count(*) FROM large FULL JOIN small ON small.k = large.k",
		"SELECT count(*) FROM small FULL JOIN large ON small.k < large.k - 99990",
	} {
		plan := explainText(t, e, sql)
		lines := strings.Split(plan, "\n")
		probed := ""
		for i, l := range lines {
			if strings.Contains(l, "BuildOuterProbe") && i+1 < len(lines) {
				probed = lines[i+1]
			}
		}
		assert.Contains(t, probed, "Scan large", "%s:\n%s", sql, plan)
	}
}
