package binder

import (
	"fmt"
	"strings"

	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/types"
)

// SUMMARIZE t (or a query): a row per column with DuckDB's statistics —
// min, max, approx_unique, avg, std, q25, q50, q75, count and
// null_percentage. It is written as a query and bound like any other:
//
//	WITH src AS (<source>), s AS (SELECT <every column's aggregates> FROM src)
//	SELECT ... FROM (SELECT 0 AS pos, 'a', ... FROM s UNION ALL ...) ORDER BY pos
//
// so the source is read once, by one aggregate, and s (named once per
// column) is computed once (the physical plan shares identical subplans).
// approx_unique is approx_count_distinct (a HyperLogLog, exact up to 256
// values) and the quartiles are quantile_disc's, exact where DuckDB
// estimates them.

const (
	summarySrc  = "msq_summary_src_"
	summaryAggs = "msq_summary_aggs_"
)

func (b *binder) bindSummarize(st *parse.Statement) (Statement, error) {
	source := st.ViewText
	var cols []plan.Column
	var err error
	if st.Query != nil {
		_, cols, err = b.bindQuery(st.Query, nil)
	} else {
		source = "SELECT * FROM " + quoteIdent(st.Name)
		if text, viewCols, ok := b.lookupView(st.Name); ok {
			_, cols, err = b.bindView(st.Name, text, viewCols)
		} else if t, terr := b.table(st.Name); terr != nil {
			err = terr
		} else {
			for _, f := range t.Schema().Fields() {
				cols = append(cols, plan.Column{Name: f.Name, Type: types.MustFromArrow(f.Type)})
			}
		}
	}
	if err != nil {
		return nil, err
	}
	text := summaryQuery(source, cols)
	sub, err := parse.Parse(text)
	if err != nil {
		return nil, fmt.Errorf("SUMMARIZE: %w", err)
	}
	inner := &binder{cat: b.cat, text: text, aliases: map[string]parse.DerivedAlias{}, nextID: b.nextID, views: b.views, now: b.now}
	q, err := inner.bindTopQuery(sub.Query)
	b.nextID = inner.nextID
	if err != nil {
		return nil, fmt.Errorf("SUMMARIZE: %w", err)
	}
	return q, nil
}

// summaryQuery writes SUMMARIZE's query over source, whose columns are
// cols.
func summaryQuery(source string, cols []plan.Column) string {
	var aggs, rows []string
	aggs = append(aggs, "count(*) AS n")
	for i, c := range cols {
		col := quoteIdent(c.Name)
		a := func(name, e string) string { return fmt.Sprintf("%s AS c%d_%s", e, i, name) }
		aggs = append(aggs,
			a("min", fmt.Sprintf("CAST(min(%s) AS VARCHAR)", col)),
			a("max", fmt.Sprintf("CAST(max(%s) AS VARCHAR)", col)),
			a("uniq", fmt.Sprintf("approx_count_distinct(%s)", col)),
			a("nn", fmt.Sprintf("count(%s)", col)))
		stat := func(string) string { return "CAST(NULL AS VARCHAR)" }
		if c.Type.IsNumeric() {
			aggs = append(aggs,
				a("avg", fmt.Sprintf("CAST(avg(%s) AS VARCHAR)", col)),
				a("std", fmt.Sprintf("CAST(stddev_samp(%s) AS VARCHAR)", col)))
			stat = func(name string) string { return fmt.Sprintf("c%d_%s", i, name) }
		}
		quart := func(string) string { return "CAST(NULL AS VARCHAR)" }
		if c.Type.IsNumeric() || c.Type.Kind == types.Date || c.Type.Kind == types.Timestamp {
			for _, q := range []string{"25", "50", "75"} {
				aggs = append(aggs, a("q"+q, fmt.Sprintf("CAST(quantile_disc(%s, 0.%s) AS VARCHAR)", col, q)))
			}
			quart = func(name string) string { return fmt.Sprintf("c%d_%s", i, name) }
		}
		rows = append(rows, fmt.Sprintf("SELECT %d AS pos, %s AS column_name, %s AS column_type, c%d_min AS min, c%d_max AS max, "+
			"c%d_uniq AS approx_unique, %s AS avg, %s AS std, %s AS q25, %s AS q50, %s AS q75, n AS count, "+
			"CAST(CASE WHEN n = 0 THEN NULL ELSE 100.0 * (n - c%d_nn) / n END AS DECIMAL(9,2)) AS null_percentage FROM %s",
			i, quoteString(c.Name), quoteString(c.Type.String()), i, i, i, stat("avg"), stat("std"), quart("q25"), quart("q50"), quart("q75"), i, summaryAggs))
	}
	return fmt.Sprintf("WITH %s AS (%s), %s AS (SELECT %s FROM %s) "+
		"SELECT column_name, column_type, min, max, approx_unique, avg, std, q25, q50, q75, count, null_percentage FROM (%s) ORDER BY pos",
		summarySrc, source, summaryAggs, strings.Join(aggs, ", "), summarySrc, strings.Join(rows, " UNION ALL "))
}

func quoteIdent(s string) string  { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
func quoteString(s string) string { return `'` + strings.ReplaceAll(s, `'`, `''`) + `'` }
