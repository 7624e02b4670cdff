package parse

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xwb1989/sqlparser"
)

// TestFullJoinRewrite: a FULL JOIN reaches the binder as a LEFT JOIN whose
// condition carries the marker, and the condition is the whole of the
// user's ON, whatever ends it.
func TestFullJoinRewrite(t *testing.T) {
	for _, tc := range []struct{ sql, from string }{
		{"SELECT * FROM a FULL JOIN b ON a.x = b.x", "a full join b on a.x = b.x"},
		{"SELECT * FROM a FULL OUTER JOIN b ON a.x = b.x OR a.y < b.y WHERE a.x > 1", "a full join b on a.x = b.x or a.y < b.y"},
		{"SELECT * FROM a full join b using (x, y) ORDER BY 1", "a full join b using (x, y)"},
		{"SELECT * FROM (a FULL JOIN b ON a.x = b.x), c", "(a full join b on a.x = b.x), c"},
		{"SELECT * FROM a FULL JOIN b ON left(a.s, 1) = b.s LEFT JOIN c ON true", "a full join b on left(a.s, 1) = b.s left join c on true"},
		{"SELECT * FROM a FULL JOIN b ON a.s ILIKE 'x%' GROUP BY 1", "a full join b on a.s ilike 'x%'"},
		{"SELECT * FROM a FULL JOIN b ON a.x = b.x FULL JOIN c USING (z)", "a full join b on a.x = b.x full join c using (z)"},
		{"SELECT * FROM a FULL JOIN (SELECT x FROM b WHERE y IN (1, 2)) s ON a.x = s.x LIMIT 3",
			"a full join (select x from b where y in (1, 2)) as s on a.x = s.x"},
		{"SELECT 1 FROM a FULL JOIN b ON (true) INTERSECT SELECT 1 FROM c", "a full join b on (true)"},
		{"SELECT 1 FROM a FULL JOIN b ON true Except SELECT 1 FROM c", "a full join b on true"},
		{"SELECT * FROM a FULL JOIN b ON (a.x = b.x) AND a.y IN (SELECT 1)", "a full join b on (a.x = b.x) and a.y in (select 1 from dual)"},
		{"SELECT * FROM a FULL JOIN b ON a.x = b.x JOIN (SELECT 1 AS x) c ON true", "a full join b on a.x = b.x join (select 1 as x from dual) as c on true"},
		{"SELECT * FROM a NATURAL FULL JOIN b", "a natural full join b"},
		{"SELECT * FROM a NATURAL FULL OUTER JOIN (SELECT x FROM b) AS s WHERE x > 1", "a natural full join (select x from b) as s"},
		{"SELECT * FROM a NATURAL FULL JOIN b JOIN c ON true ORDER BY 1", "a natural full join b join c on true"},
		{"SELECT * FROM (a NATURAL FULL JOIN b) NATURAL FULL JOIN c", "(a natural full join b) natural full join c"},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			st, err := Parse(tc.sql)
			require.NoError(t, err)
			ast := st.Query.AST
			if u, ok := ast.(*sqlparser.Union); ok {
				ast = u.Left // EXCEPT and INTERSECT are marked UNIONs
			}
			sel, ok := ast.(*sqlparser.Select)
			require.True(t, ok, "%T", ast)
			assert.Equal(t, tc.from, Format(sel.From))
		})
	}
}
