package smoke

import (
	"context"
	"fmt"
	"testing"

	"github.com/minisql/minisql/engine"
)

func TestSmoke(t *testing.T) {
	e := engine.Open()
	ctx := context.Background()
	for _, q := range []string{
		"CREATE TABLE t (a INT, b VARCHAR, c DECIMAL(10,2), d DATE, e DOUBLE, f BOOLEAN)",
		"INSERT INTO t VALUES (1, 'x', 1.50, DATE '2020-01-01', 0.5, true), (2, 'y', NULL, '2021-02-03', 1e3, false), (3, NULL, 3.25, NULL, NULL, NULL)",
		"SELECT * FROM t",
		"SELECT a + 1, b || '!', c * 2, d + INTERVAL 1 MONTH, e / 2, NOT f FROM t WHERE a > 1",
		"SELECT b, count(*), sum(c), avg(a), min(d), max(e) FROM t GROUP BY b ORDER BY b",
		"SELECT a, (SELECT max(a) FROM t) AS m FROM t ORDER BY a DESC LIMIT 2",
		"SELECT * FROM t WHERE a IN (SELECT a FROM t WHERE c > 2)",
		"SELECT x.a, y.b FROM t x JOIN t y ON x.a = y.a + 1",
		"SELECT count(DISTINCT b), sum(DISTINCT a) FROM t",
		"SELECT CASE WHEN a = 1 THEN 'one' WHEN a = 2 THEN 'two' ELSE 'many' END, coalesce(b, 'none'), extract(year from d), substring(b from 1 for 1) FROM t",
		"EXPLAIN SELECT b, sum(a) FROM t WHERE a > 1 GROUP BY b",
		"SELECT 1/0",
		"SELECT nope FROM t",
		"WITH r AS (SELECT a, a*2 AS dbl FROM t) SELECT * FROM r, r AS r2 WHERE r.a = r2.a",
		"SELECT * FROM (SELECT a, b FROM t) AS s (x, y) WHERE x > 1",
		"SELECT a FROM t UNION SELECT a+1 FROM t ORDER BY 1",
		"SELECT * FROM t t1 WHERE EXISTS (SELECT 1 FROM t t2 WHERE t2.a = t1.a + 1)",
		"SELECT * FROM t t1 WHERE NOT EXISTS (SELECT 1 FROM t t2 WHERE t2.a = t1.a + 1)",
		"SELECT a FROM t t1 WHERE a > (SELECT avg(a) FROM t t2 WHERE t2.b = t1.b)",
	} {
		rows, err := e.Query(ctx, q)
		if err != nil {
			fmt.Printf("%s\n  ERROR: %v\n", q, err)
			continue
		}
		fmt.Printf("%s\n", q)
		for rows.Next() {
			rec := rows.Record()
			for i := 0; i < int(rec.NumRows()); i++ {
				fmt.Print("  ")
				for c := 0; c < int(rec.NumCols()); c++ {
					fmt.Print(rec.Column(c).ValueStr(i), " | ")
				}
				fmt.Println()
			}
		}
		if err := rows.Err(); err != nil {
			fmt.Printf("  ERROR: %v\n", err)
		}
		if m := rows.Message(); m != "" {
			fmt.Println("  ", m)
		}
		rows.Close()
	}
}
