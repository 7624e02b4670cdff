package optimizer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/planner/plan"
)

// beforeReduce are the rules reduce_aggregate_inputs runs after.
var beforeReduce = []string{"fold_constants", "factor_or", "push_down_predicates", "push_down_semi_joins"}

func TestReduceAggregateInputs(t *testing.T) {
	cat := newCatalog(t, tpchTables()...)
	// reducedBy checks that the one aggregate's input is a semi join with
	// a filtered scan of the named table, read under fresh column IDs.
	reducedBy := func(table string) func(*testing.T, plan.Node) {
		return func(t *testing.T, out plan.Node) {
			aggs := findAll[*plan.Aggregate](out)
			var reduced []*plan.Join
			for _, a := range aggs {
				if j, ok := a.Input.(*plan.Join); ok && j.Kind == plan.SemiJoin {
					reduced = append(reduced, j)
				}
			}
			require.Len(t, reduced, 1)
			var scans []*plan.Scan
			for _, s := range findAll[*plan.Scan](out) {
				if s.Table.Name() == table {
					scans = append(scans, s)
				}
			}
			require.Len(t, scans, 2, "the outer scan and its copy")
			for _, c := range scans[0].Cols {
				for _, d := range scans[1].Cols {
					assert.NotEqual(t, c.ID, d.ID, "the copy reuses column %s's ID", c.Name)
				}
			}
			copied := findAll[*plan.Scan](reduced[0].Right)
			require.Len(t, copied, 1)
			assert.Equal(t, table, copied[0].Table.Name())
		}
	}
	ruleTest{rule: "reduce_aggregate_inputs", pre: beforeReduce, withEstimates: true}.run(t, cat, []ruleCase{
		// TPC-H Q17's shape: the correlated AVG becomes an aggregate of
		// all lineitem by part, joined with the few parts selected.
		{name: "q17_correlated_avg", changed: true, sql: `SELECT sum(l_extendedprice) FROM lineitem, part
			WHERE p_partkey = l_partkey AND p_name = 'x'
			AND l_quantity < (SELECT 0.2 * avg(l_quantity) FROM lineitem WHERE l_partkey = p_partkey)`,
			check: reducedBy("part")},
		// Q20's shape: the key reaches the filtered scan through a semi
		// join's equality.
		{name: "through_semi_join_equality", changed: true, sql: `SELECT ps_suppkey FROM partsupp
			WHERE ps_partkey IN (SELECT p_partkey FROM part WHERE p_name LIKE 'f%')
			AND ps_supplycost > (SELECT sum(l_quantity) FROM lineitem WHERE l_partkey = ps_partkey AND l_suppkey = ps_suppkey)`,
			check: reducedBy("part")},
		// An explicit join with a grouped derived table.
		{name: "join_with_grouped_table", changed: true, sql: `SELECT p_name, s FROM part
			JOIN (SELECT l_partkey, sum(l_quantity) AS s FROM lineitem GROUP BY l_partkey) g ON g.l_partkey = p_partkey
			WHERE p_type = 'x'`,
			check: reducedBy("part")},
		// Every part can match: nothing to gain.
		{name: "unfiltered_other_side", changed: false, sql: `SELECT p_name, s FROM part
			JOIN (SELECT l_partkey, sum(l_quantity) AS s FROM lineitem GROUP BY l_partkey) g ON g.l_partkey = p_partkey`},
		// The aggregate on the preserved side of a LEFT join keeps every
		// group.
		{name: "preserved_side_untouched", changed: false, sql: `SELECT s FROM
			(SELECT l_partkey, sum(l_quantity) AS s FROM lineitem GROUP BY l_partkey) g
			LEFT JOIN part ON g.l_partkey = p_partkey AND p_type = 'x'`},
		// Joined on an aggregate's result, not a grouping key.
		{name: "not_a_grouping_key", changed: false, sql: `SELECT p_name FROM part
			JOIN (SELECT l_partkey, count(*) AS n FROM lineitem GROUP BY l_partkey) g ON g.n = p_partkey
			WHERE p_type = 'x'`},
	})
}
