package parse

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xwb1989/sqlparser"
)

// TestFormatUndoesRewrites: the text of a select item, as an unaliased
// column's name, reads as the user wrote it, not as the pre-lexer
// rewrote it for sqlparser.
func TestFormatUndoesRewrites(t *testing.T) {
	for _, tc := range []struct{ item, want string }{
		{"CAST('2020-01-01' AS DATE)", "cast('2020-01-01' as DATE)"},
		{"cast(x as decimal(15, 2)) + 1", "cast(x as decimal(15, 2)) + 1"},
		{"DATE '1998-12-01' - INTERVAL 90 DAY", "cast('1998-12-01' as DATE) - interval 90 DAY"},
		{"TIMESTAMP '2024-01-01' + INTERVAL '1 day 2 hours'", "cast('2024-01-01' as TIMESTAMP) + interval '1 day 2 hours'"},
		{"SUBSTRING(c_phone FROM 1 FOR 2)", "substring(c_phone, 1, 2)"},
		{"substr(s, 2)", "substring(s, 2)"},
		{"EXTRACT(YEAR FROM o_orderdate)", "extract(year from o_orderdate)"},
		{"sum(CAST(a AS DOUBLE))", "sum(cast(a as DOUBLE))"},
		{"CAST(CAST(a AS VARCHAR) AS INTEGER)", "cast(cast(a as VARCHAR) as INTEGER)"},
		{"coalesce(a, 1)", "coalesce(a, 1)"},
		{"count(DISTINCT a)", "count(distinct a)"},
		{"__cast(a)", "__cast(a)"}, // not one of the rewriter's: left alone
		{"row_number() OVER ()", "row_number() over ()"},
		{"count(*) FILTER (WHERE a > 1)", "count(*) filter (where (a > 1))"},
		{"b ILIKE 'x%'", "b ilike 'x%'"},
		{"b NOT ILIKE upper('x')", "b not ilike upper('x')"},
		{"sum(DISTINCT x) FILTER (b)", "sum(distinct x) filter (where (b))"},
		{"sum(x) OVER (PARTITION BY a, b)", "sum(x) over (partition by a, b)"},
		{"lag(x, 2) OVER (ORDER BY a DESC, b NULLS FIRST, c)", "lag(x, 2) over (order by a desc, b nulls first, c)"},
		{"rank() OVER (PARTITION BY CAST(a AS INT) ORDER BY b DESC NULLS LAST)", "rank() over (partition by cast(a as INT) order by b desc nulls last)"},
	} {
		t.Run(tc.item, func(t *testing.T) {
			st, err := Parse("SELECT " + tc.item + " FROM t")
			require.NoError(t, err)
			sel, ok := st.Query.AST.(*sqlparser.Select)
			require.True(t, ok)
			ae, ok := sel.SelectExprs[0].(*sqlparser.AliasedExpr)
			require.True(t, ok)
			assert.Equal(t, tc.want, Format(ae.Expr))
		})
	}
}
