package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
)

// query is one TPC-H query with the tables it reads.
type query struct {
	Num    int
	Name   string // "q01"
	SQL    string
	Tables []string // distinct tables referenced, in tpchTables order
}

// loadQueries reads the 22 queries of testdata/tpch/queries (the same
// texts as DuckDB's tpch_queries(), which duckref bench runs).
func loadQueries() ([]query, error) {
	qs := make([]query, 0, 22)
	for n := 1; n <= 22; n++ {
		name := fmt.Sprintf("q%02d", n)
		text, err := os.ReadFile(filepath.Join(queriesDir, name+".sql"))
		if err != nil {
			return nil, err
		}
		qs = append(qs, query{Num: n, Name: name, SQL: string(text), Tables: tablesOf(string(text))})
	}
	return qs, nil
}

// tableWords match a table name as a whole word. Column names carry a
// prefix joined by an underscore (l_orderkey, p_partkey), and underscores
// are word characters, so a column never matches; nor do aliases such as
// all_nations or c_orders.
var tableWords = func() map[string]*regexp.Regexp {
	m := map[string]*regexp.Regexp{}
	for _, t := range tpchTables {
		m[t] = regexp.MustCompile(`(?i)\b` + t + `\b`)
	}
	return m
}()

// stringLiterals match SQL string literals. A doubled quote inside one
// splits it into two adjacent matches, which removes it just as well.
var stringLiterals = regexp.MustCompile(`'[^']*'`)

// tablesOf returns the TPC-H tables a query's text names outside string
// literals (q16 has '%Customer%Complaints%'), each once even when the
// query reads it several times (q21 reads lineitem three times): the
// throughput metrics count each table's input once per query.
func tablesOf(sql string) []string {
	sql = stringLiterals.ReplaceAllString(sql, "''")
	var ts []string
	for _, t := range tpchTables {
		if tableWords[t].MatchString(sql) {
			ts = append(ts, t)
		}
	}
	return ts
}

// input sums the rows and Parquet bytes of the tables q reads.
func (d *dataset) input(q query) (rows, bytes int64) {
	for _, t := range q.Tables {
		rows += d.Tables[t].Rows
		bytes += d.Tables[t].Bytes
	}
	return rows, bytes
}

// sameTables reports whether two table lists are equal ignoring order.
func sameTables(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
