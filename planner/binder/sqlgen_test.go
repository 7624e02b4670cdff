package binder_test

import (
	"fmt"
	"strings"
)

// sqlGen writes a random query over the fuzz schema (see fuzzSchema),
// steered by a byte string: every choice consumes one byte, and once the
// bytes run out every choice takes its first alternative, which always
// leads to a short, finished query. So the fuzzer's mutations of the bytes
// become structural mutations of the query: mostly well-typed SQL, with
// enough wrong types, unknown names and odd shapes to exercise the errors.
type sqlGen struct {
	data  []byte
	pos   int
	depth int
	// scope lists the columns the current SELECT may name, qualified.
	scope []genCol
	// aggOK is set while writing an expression in which aggregates are
	// allowed.
	aggOK     bool
	nextAlias int
}

// genCol is a column visible to the generator.
type genCol struct {
	name string // qualified: t1.a
	kind byte   // 'i' integer, 'n' other number, 's' string, 'd' date, 'z' timestamp, 'b' boolean
}

// genTables mirrors fuzzSchema: name and typed columns.
var genTables = []struct {
	name string
	cols []genCol
}{
	{"t", []genCol{{"a", 'i'}, {"b", 's'}, {"c", 'n'}, {"d", 'd'}, {"e", 'n'}, {"f", 'b'}, {"z", 'z'}}},
	{"u", []genCol{{"k", 'i'}, {"s", 's'}, {"m", 'n'}}},
	{"empty", []genCol{{"x", 'i'}, {"y", 's'}}},
}

// choose returns a number in [0, n).
func (g *sqlGen) choose(n int) int {
	if g.pos >= len(g.data) || n <= 1 {
		return 0
	}
	c := int(g.data[g.pos]) % n
	g.pos++
	return c
}

// chance is true with probability about 1/n (never once the bytes run out).
func (g *sqlGen) chance(n int) bool {
	if g.pos >= len(g.data) {
		return false
	}
	return g.choose(n) == n-1
}

func (g *sqlGen) alias() string {
	g.nextAlias++
	return fmt.Sprintf("q%d", g.nextAlias)
}

// query writes a full statement: a query, sometimes with a CTE, sometimes
// under EXPLAIN.
func (g *sqlGen) query() string {
	switch g.choose(12) {
	case 10:
		return "EXPLAIN " + g.selectStmt(nil, 0)
	case 11:
		name, alias := g.alias(), g.alias()
		cte := g.selectStmt(nil, 1)
		g.scope = []genCol{{alias + ".col1", 'i'}}
		return fmt.Sprintf("WITH %s (col1) AS (%s) %s", name, cte,
			g.selectFrom(fmt.Sprintf("%s AS %s", name, alias), 0))
	}
	return g.selectStmt(nil, 0)
}

// selectStmt writes a SELECT of ncols columns (any number when 0), or a
// set operation of two; outer is the enclosing scope a correlated
// subquery may name.
func (g *sqlGen) selectStmt(outer []genCol, ncols int) string {
	g.depth++
	defer func() { g.depth-- }()
	if ncols == 0 {
		ncols = 1 + g.choose(4)
	}
	if g.depth < 3 && g.chance(8) {
		op := []string{"UNION", "UNION ALL", "EXCEPT", "INTERSECT", "EXCEPT ALL", "INTERSECT ALL"}[g.choose(6)]
		return fmt.Sprintf("%s %s %s", g.selectStmt(outer, ncols), op, g.selectStmt(outer, ncols))
	}
	from, cols := g.from()
	saved := g.scope
	g.scope = append(append([]genCol(nil), cols...), outer...)
	s := g.selectFrom(from, ncols)
	g.scope = saved
	return s
}

// selectFrom writes SELECT ... [FROM from] [WHERE] [GROUP BY] [HAVING]
// [ORDER BY] [LIMIT] with ncols columns (any number when 0) over g.scope.
// The first column is an integer, so that derived tables and CTEs can
// name it col1 of kind 'i'.
func (g *sqlGen) selectFrom(from string, ncols int) string {
	if ncols == 0 {
		ncols = 1 + g.choose(4)
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	if g.chance(6) {
		b.WriteString("DISTINCT ")
	}
	grouped := g.chance(3)
	var keys []string
	if grouped {
		for i := 0; i <= g.choose(2); i++ {
			k := g.kind()
			if i == 0 {
				k = 'i'
			}
			keys = append(keys, g.expr(k, 1))
		}
	}
	aggs := grouped || g.chance(4)
	for i := 0; i < ncols; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		kind := g.kind()
		if i == 0 {
			kind = 'i'
		}
		switch {
		case grouped && i < len(keys):
			b.WriteString(keys[i])
		case g.chance(5):
			b.WriteString(g.windowCall(kind, aggs))
		case aggs:
			b.WriteString(g.aggCall(kind))
		default:
			b.WriteString(g.expr(kind, 0))
		}
		if g.chance(3) {
			fmt.Fprintf(&b, " AS col%d", i+1)
		}
	}
	if from != "" {
		b.WriteString(" FROM " + from)
	}
	if g.pos < len(g.data) && g.choose(2) == 1 {
		b.WriteString(" WHERE " + g.expr('b', 0))
	}
	if from != "" && !grouped && !aggs && g.chance(4) {
		// rank(), not row_number(): ties keep the same rows in both engines.
		fmt.Fprintf(&b, " QUALIFY rank() OVER (ORDER BY %s%s) <= %d", g.expr(g.kind(), 0), []string{"", " DESC"}[g.choose(2)], 1+g.choose(3))
	}
	if grouped {
		b.WriteString(" GROUP BY ")
		sets := g.chance(3)
		if sets {
			b.WriteString([]string{"ROLLUP (", "CUBE ("}[g.choose(2)])
		}
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			if !sets && g.chance(4) && i < ncols {
				fmt.Fprintf(&b, "%d", i+1)
			} else {
				b.WriteString(k)
			}
		}
		if sets {
			b.WriteString(")")
		}
	}
	if aggs && g.chance(3) {
		op := []string{"=", "<>", "<", ">"}[g.choose(4)]
		fmt.Fprintf(&b, " HAVING %s %s %s", g.aggCall('i'), op, g.literal('i'))
	}
	if g.chance(3) {
		b.WriteString(" ORDER BY ")
		for i := 0; i <= g.choose(2); i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			switch {
			case !aggs && g.chance(2):
				b.WriteString(g.expr(g.kind(), 0))
			case g.chance(8):
				fmt.Fprintf(&b, "%d", 1+ncols) // out of range
			default:
				fmt.Fprintf(&b, "%d", 1+g.choose(ncols))
			}
			b.WriteString([]string{"", " DESC", " ASC", " DESC NULLS LAST", " NULLS FIRST"}[g.choose(5)])
		}
	}
	if g.chance(3) {
		fmt.Fprintf(&b, " LIMIT %d", g.choose(5))
		if g.chance(3) {
			fmt.Fprintf(&b, " OFFSET %d", g.choose(4))
		}
	}
	return b.String()
}

// from writes a FROM clause and returns the columns it makes visible.
func (g *sqlGen) from() (string, []genCol) {
	if g.pos < len(g.data) && g.choose(10) == 0 {
		return "", nil // SELECT without FROM
	}
	left, lcols := g.tableRef()
	for i := 0; i < 3 && g.chance(3); i++ {
		right, rcols := g.tableRef()
		cols := append(append([]genCol(nil), lcols...), rcols...)
		switch g.choose(5) {
		case 0:
			left = fmt.Sprintf("%s, %s", left, right)
		case 1:
			left = fmt.Sprintf("%s CROSS JOIN %s", left, right)
		default:
			join := []string{"JOIN", "LEFT JOIN", "RIGHT JOIN", "INNER JOIN", "LEFT OUTER JOIN", "FULL JOIN", "FULL OUTER JOIN"}[g.choose(7)]
			saved := g.scope
			g.scope = cols
			cond := g.expr('b', 1)
			g.scope = saved
			left = fmt.Sprintf("%s %s %s ON %s", left, join, right, cond)
		}
		lcols = cols
	}
	return left, lcols
}

// tableRef is a table or a derived table, always with a fresh alias.
func (g *sqlGen) tableRef() (string, []genCol) {
	alias := g.alias()
	if g.depth < 3 && g.chance(5) {
		saved := g.scope
		g.scope = nil
		sub := g.selectStmt(nil, 1+g.choose(2))
		g.scope = saved
		// Name the first column (an integer) col1 through an alias list.
		return fmt.Sprintf("(%s) AS %s (col1)", sub, alias), []genCol{{alias + ".col1", 'i'}}
	}
	tb := genTables[g.choose(len(genTables))]
	cols := make([]genCol, len(tb.cols))
	for i, c := range tb.cols {
		cols[i] = genCol{alias + "." + c.name, c.kind}
	}
	return fmt.Sprintf("%s AS %s", tb.name, alias), cols
}

func (g *sqlGen) kind() byte { return "innsdbz"[g.choose(7)] }

// column returns a column of the wanted kind from the scope (or any
// column, or an unknown name, now and then).
func (g *sqlGen) column(kind byte) (string, bool) {
	var match []genCol
	for _, c := range g.scope {
		if c.kind == kind || kind == 'n' && c.kind == 'i' || g.chance(60) {
			match = append(match, c)
		}
	}
	if g.chance(40) {
		return "nosuchcolumn", true
	}
	if len(match) == 0 {
		return "", false
	}
	c := match[g.choose(len(match))]
	if g.chance(3) { // unqualified: may be ambiguous, which is fine
		return c.name[strings.IndexByte(c.name, '.')+1:], true
	}
	return c.name, true
}

// literal writes a constant of the wanted kind, extremes included.
func (g *sqlGen) literal(kind byte) string {
	switch kind {
	case 'i':
		return []string{"1", "0", "-1", "9223372036854775807", "NULL", "3", "-9223372036854775808", "2"}[g.choose(8)]
	case 'n':
		return []string{"1", "0", "-1", "2.50", "1e3", "9223372036854775807", "-9223372036854775808",
			"NULL", "0.001", "123456789012345678901234567.89", "1.5e308", "3"}[g.choose(12)]
	case 's':
		return []string{"'a'", "''", "'abc%'", "'é'", "NULL", "'1'", "'1995-03-15'", "'x_y'", "'  pad  '"}[g.choose(9)]
	case 'd':
		return []string{"DATE '1995-03-15'", "DATE '1970-01-01'", "DATE '9999-12-31'", "NULL",
			"CAST('2000-02-29' AS DATE)", "DATE '0001-01-01'"}[g.choose(6)]
	case 'z':
		return []string{"TIMESTAMP '1995-03-15 10:30:00'", "TIMESTAMP '1970-01-01 00:00:00'", "NULL",
			"TIMESTAMP '1969-12-31 23:59:59.5'", "CAST('2000-02-29 12:00:00.25' AS TIMESTAMP)", "TIMESTAMP '1995-03-15'"}[g.choose(6)]
	}
	return []string{"true", "false", "NULL"}[g.choose(3)]
}

// expr writes an expression of the wanted kind. min forces at least that
// many levels before leaves are allowed.
func (g *sqlGen) expr(kind byte, min int) string {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 6 || (min <= 0 && g.choose(3) == 0) {
		if g.choose(3) > 0 {
			if c, ok := g.column(kind); ok {
				return c
			}
		}
		return g.literal(kind)
	}
	if g.chance(50) { // any kind at all: type errors are welcome too
		kind = g.kind()
	}
	sub := func(k byte) string { return g.expr(k, min-1) }
	switch kind {
	case 'i':
		switch g.choose(8) {
		case 0, 1:
			op := []string{"+", "-", "*", "%", "DIV"}[g.choose(5)]
			return fmt.Sprintf("(%s %s %s)", sub('i'), op, sub('i'))
		case 2:
			if g.aggOK {
				return g.aggCall('i')
			}
			return fmt.Sprintf("(- %s)", sub('i'))
		case 3:
			return fmt.Sprintf("length(%s)", sub('s'))
		case 4:
			if g.chance(2) {
				part := []string{"year", "month", "day", "hour", "minute", "second", "millisecond", "microsecond", "dow", "doy"}[g.choose(10)]
				return fmt.Sprintf("extract(%s FROM %s)", part, sub('z'))
			}
			if g.chance(3) {
				part := []string{"year", "quarter", "month", "week", "day", "hour", "minute", "second", "millisecond"}[g.choose(9)]
				return fmt.Sprintf("date_diff('%s', %s, %s)", part, sub("dz"[g.choose(2)]), sub("dz"[g.choose(2)]))
			}
			part := []string{"year", "month", "day", "quarter", "dow", "doy", "week"}[g.choose(7)]
			return fmt.Sprintf("extract(%s FROM %s)", part, sub('d'))
		case 5:
			if g.chance(4) {
				switch g.choose(4) {
				case 0:
					return fmt.Sprintf("%s(%s, %s)", []string{"gcd", "lcm", "mod"}[g.choose(3)], sub('i'), sub('i'))
				case 1:
					return fmt.Sprintf("ascii(%s)", sub('s'))
				case 2:
					part := []string{"isodow", "isoyear", "weekday", "weekofyear"}[g.choose(4)]
					return fmt.Sprintf("%s(%s)", part, sub("dz"[g.choose(2)]))
				default:
					// DuckDB's integer literals are 32-bit INTEGERs, and
					// bit_count of a negative one counts 32 bits; minisql's
					// are BIGINTs (a deliberate difference, README).
					return fmt.Sprintf("bit_count(CAST(%s AS BIGINT))", sub('i'))
				}
			}
			if g.chance(3) {
				return fmt.Sprintf("(%s)::BIGINT", sub("nsi"[g.choose(3)]))
			}
			return fmt.Sprintf("CAST(%s AS BIGINT)", sub("nsi"[g.choose(3)]))
		case 6:
			return g.caseExpr('i', sub)
		default:
			return fmt.Sprintf("(%s - %s)", sub('d'), sub('d'))
		}
	case 'n':
		switch g.choose(12) {
		case 0, 1:
			op := []string{"+", "-", "*", "/", "%", "DIV"}[g.choose(6)]
			return fmt.Sprintf("(%s %s %s)", sub('n'), op, sub('n'))
		case 2:
			if g.aggOK {
				return g.aggCall('n')
			}
			return fmt.Sprintf("(- %s)", sub('n'))
		case 3:
			return fmt.Sprintf("abs(%s)", sub('n'))
		case 4:
			if g.chance(3) {
				fn := []string{"trunc", "cbrt", "even", "degrees", "radians", "log", "atan", "asin"}[g.choose(8)]
				if g.chance(4) {
					return fmt.Sprintf("%s(%s, %s)", []string{"atan2", "log", "mod"}[g.choose(3)], sub('n'), sub('n'))
				}
				return fmt.Sprintf("%s(%s)", fn, sub('n'))
			}
			fn := []string{"abs", "round", "floor", "ceil", "sqrt", "sign", "ln", "exp"}[g.choose(8)]
			return fmt.Sprintf("%s(%s)", fn, sub('n'))
		case 5:
			return fmt.Sprintf("round(%s, %d)", sub('n'), g.choose(5)-2)
		case 6:
			fn := []string{"length", "strpos", "octet_length"}[g.choose(3)]
			if fn == "strpos" {
				return fmt.Sprintf("strpos(%s, %s)", sub('s'), sub('s'))
			}
			return fmt.Sprintf("%s(%s)", fn, sub('s'))
		case 7:
			part := []string{"year", "month", "day", "quarter", "dow", "doy", "week"}[g.choose(7)]
			return fmt.Sprintf("extract(%s FROM %s)", part, sub('d'))
		case 8:
			t := []string{"BIGINT", "DOUBLE", "DECIMAL(10,2)", "DECIMAL(38,10)", "INTEGER", "DECIMAL(3,1)"}[g.choose(6)]
			return fmt.Sprintf("CAST(%s AS %s)", sub("insn"[g.choose(4)]), t)
		case 9:
			return g.caseExpr('n', sub)
		case 10:
			fn := []string{"coalesce", "greatest", "least", "nullif"}[g.choose(4)]
			return fmt.Sprintf("%s(%s, %s)", fn, sub('n'), sub('n'))
		default:
			if g.depth < 4 {
				return fmt.Sprintf("(%s)", g.scalarSubquery())
			}
			return fmt.Sprintf("(%s - %s)", sub('d'), sub('d'))
		}
	case 's':
		switch g.choose(8) {
		case 0:
			return fmt.Sprintf("(%s || %s)", sub('s'), sub('s'))
		case 1:
			fn := []string{"upper", "lower", "trim", "reverse", "ltrim"}[g.choose(5)]
			return fmt.Sprintf("%s(%s)", fn, sub('s'))
		case 2:
			return fmt.Sprintf("substring(%s, %s, %s)", sub('s'), sub('i'), sub('i'))
		case 3:
			fn := []string{"left", "right", "repeat"}[g.choose(3)]
			return fmt.Sprintf("%s(%s, %s)", fn, sub('s'), sub('i'))
		case 4:
			if g.chance(3) {
				f := []string{"%Y-%m-%d %H:%M:%S", "%j %w %u %V", "%I %p %-I", "%a %A %b %B", "%f %g %y %-m/%-d"}[g.choose(5)]
				return fmt.Sprintf("strftime(%s, '%s')", sub("dz"[g.choose(2)]), f)
			}
			if g.chance(3) {
				return fmt.Sprintf("(%s)::VARCHAR", sub(g.kind()))
			}
			return fmt.Sprintf("CAST(%s AS VARCHAR)", sub(g.kind()))
		case 5:
			return g.caseExpr('s', sub)
		case 6:
			if g.chance(2) {
				return g.stringFuncMore(sub)
			}
			return fmt.Sprintf("replace(%s, %s, %s)", sub('s'), sub('s'), sub('s'))
		default:
			if g.aggOK {
				return g.aggCall('s')
			}
			return fmt.Sprintf("concat(%s, %s)", sub('s'), sub(g.kind()))
		}
	case 'd':
		switch g.choose(5) {
		case 0:
			unit := []string{"DAY", "MONTH", "YEAR"}[g.choose(3)]
			return fmt.Sprintf("(%s + INTERVAL '%d' %s)", sub('d'), g.choose(40)-20, unit)
		case 1:
			return fmt.Sprintf("(%s - %s)", sub('d'), sub('i'))
		case 2:
			if g.chance(3) {
				return fmt.Sprintf("last_day(%s)", sub("dz"[g.choose(2)]))
			}
			return fmt.Sprintf("date_trunc('%s', %s)", []string{"year", "month", "week", "quarter"}[g.choose(4)], sub('d'))
		case 3:
			return g.caseExpr('d', sub)
		default:
			if g.chance(3) {
				return fmt.Sprintf("CAST(%s AS DATE)", sub('z'))
			}
			return fmt.Sprintf("CAST(%s AS DATE)", sub('s'))
		}
	case 'z':
		switch g.choose(6) {
		case 0:
			unit := []string{"HOUR", "MINUTE", "SECOND", "DAY", "MONTH", "YEAR"}[g.choose(6)]
			op := []string{"+", "-"}[g.choose(2)]
			return fmt.Sprintf("(%s %s INTERVAL '%d' %s)", sub("zzd"[g.choose(3)]), op, g.choose(60)-30, unit)
		case 1:
			return fmt.Sprintf("date_trunc('%s', %s)", []string{"year", "month", "day", "hour", "minute", "second"}[g.choose(6)], sub('z'))
		case 2:
			return g.caseExpr('z', sub)
		case 3:
			return fmt.Sprintf("CAST(%s AS TIMESTAMP)", sub('d'))
		case 4:
			fn := []string{"coalesce", "greatest", "least"}[g.choose(3)]
			return fmt.Sprintf("%s(%s, %s)", fn, sub('z'), sub("zd"[g.choose(2)]))
		default:
			return fmt.Sprintf("make_timestamp(%s)", sub('i'))
		}
	}
	// Booleans.
	switch g.choose(12) {
	case 0, 1:
		op := []string{"=", "<>", "<", "<=", ">", ">="}[g.choose(6)]
		k := g.kind()
		if k == 'b' {
			k = 'n'
		}
		return fmt.Sprintf("(%s %s %s)", sub(k), op, sub(k))
	case 2:
		op := []string{"AND", "OR"}[g.choose(2)]
		return fmt.Sprintf("(%s %s %s)", sub('b'), op, sub('b'))
	case 3:
		return fmt.Sprintf("(NOT %s)", sub('b'))
	case 4:
		return fmt.Sprintf("(%s IS %sNULL)", sub(g.kind()), []string{"", "NOT "}[g.choose(2)])
	case 5:
		if g.chance(3) {
			fn := []string{"regexp_matches", "regexp_full_match"}[g.choose(2)]
			return fmt.Sprintf("%s(%s, '%s'%s)", fn, sub('s'), g.pattern(), []string{"", ", 'i'", ", 's'"}[g.choose(3)])
		}
		return fmt.Sprintf("(%s %sLIKE %s)", sub('s'), []string{"", "NOT "}[g.choose(2)], g.literal('s'))
	case 6:
		k := g.kind()
		return fmt.Sprintf("(%s %sIN (%s, %s))", sub(k), []string{"", "NOT "}[g.choose(2)], g.literal(k), sub(k))
	case 7:
		return fmt.Sprintf("(%s BETWEEN %s AND %s)", sub('n'), sub('n'), sub('n'))
	case 8:
		if g.depth < 4 {
			return fmt.Sprintf("(%sEXISTS (%s))", []string{"", "NOT "}[g.choose(2)], g.correlated())
		}
		return sub('b')
	case 9:
		if g.depth < 4 {
			c, _ := g.column('i')
			if c == "" {
				c = "1"
			}
			return fmt.Sprintf("(%s %sIN (%s))", c, []string{"", "NOT "}[g.choose(2)], g.correlated())
		}
		return sub('b')
	case 10:
		if g.chance(2) {
			k := g.kind()
			return fmt.Sprintf("(%s IS %sDISTINCT FROM %s)", sub(k), []string{"", "NOT "}[g.choose(2)], sub(k))
		}
		return fmt.Sprintf("(%s IS %s)", sub('b'), []string{"TRUE", "FALSE", "NOT TRUE", "NOT FALSE"}[g.choose(4)])
	}
	return g.caseExpr('b', sub)
}

// aggCall writes an aggregate whose argument has no aggregate inside.
func (g *sqlGen) aggCall(kind byte) string {
	saved := g.aggOK
	g.aggOK = false
	defer func() { g.aggOK = saved }()
	if kind == 'i' && g.chance(12) {
		// The order string_agg joins in is not defined: only its length
		// is comparable.
		return fmt.Sprintf("length(string_agg(%s, '%s'))", g.expr('s', 0), []string{",", "", " - "}[g.choose(3)])
	}
	if kind == 'i' && g.chance(3) {
		if g.chance(6) {
			return "count(*) FILTER (WHERE " + g.expr('b', 0) + ")"
		}
		return "count(*)"
	}
	if kind == 's' && g.chance(4) {
		// Ordered by the strings themselves: equal keys are equal strings,
		// so the result is defined.
		e := g.expr('s', 0)
		return fmt.Sprintf("string_agg(%s, '%s' ORDER BY %s%s)", e, []string{",", "", "|"}[g.choose(3)], e, []string{"", " DESC"}[g.choose(2)])
	}
	fns := []string{"sum", "min", "max", "count", "avg", "median", "quantile_cont", "quantile_disc"}
	switch kind {
	case 'i':
		fns = []string{"sum", "min", "max", "count", "quantile_disc"}
	case 's', 'd', 'z':
		fns = []string{"min", "max", "quantile_disc"}
		if kind != 's' {
			fns = append(fns, "median")
		}
	}
	fn := fns[g.choose(len(fns))]
	arg := kind
	if fn == "count" {
		arg = g.kind()
	}
	distinct := ""
	if g.chance(4) {
		distinct = "DISTINCT "
	}
	call := fmt.Sprintf("%s(%s%s)", fn, distinct, g.expr(arg, 0))
	if strings.HasPrefix(fn, "quantile") {
		frac := []string{"0.5", "0.25", "0.9", "0", "1", "-0.3", "0.07"}[g.choose(7)]
		call = fmt.Sprintf("%s(%s%s, %s)", fn, distinct, g.expr(arg, 0), frac)
	}
	if g.chance(6) {
		call += " FILTER (WHERE " + g.expr('b', 0) + ")"
	}
	return call
}

func (g *sqlGen) caseExpr(kind byte, sub func(byte) string) string {
	var b strings.Builder
	b.WriteString("CASE")
	simple := g.chance(3)
	if simple {
		b.WriteString(" " + sub('n'))
	}
	for i := 0; i <= g.choose(2); i++ {
		cond := sub('b')
		if simple {
			cond = sub('n')
		}
		fmt.Fprintf(&b, " WHEN %s THEN %s", cond, sub(kind))
	}
	if g.choose(2) == 1 {
		fmt.Fprintf(&b, " ELSE %s", sub(kind))
	}
	b.WriteString(" END")
	return b.String()
}

// scalarSubquery writes a one-column subquery, correlated or not.
func (g *sqlGen) scalarSubquery() string {
	tb := genTables[g.choose(2)]
	alias := g.alias()
	saved := g.scope
	defer func() { g.scope = saved }()
	inner := []genCol{{alias + "." + tb.cols[0].name, 'i'}}
	g.scope = append(inner, saved...)
	agg := []string{"max", "min", "sum", "count", "avg"}[g.choose(5)]
	where := ""
	if g.choose(2) == 1 {
		where = " WHERE " + g.expr('b', 1)
	}
	if g.chance(3) { // may return several rows: a runtime error
		return fmt.Sprintf("SELECT %s FROM %s AS %s%s", inner[0].name, tb.name, alias, where)
	}
	return fmt.Sprintf("SELECT %s(%s) FROM %s AS %s%s", agg, inner[0].name, tb.name, alias, where)
}

// correlated writes a subquery for EXISTS and IN that may name the
// enclosing query's columns.
func (g *sqlGen) correlated() string {
	tb := genTables[g.choose(len(genTables))]
	alias := g.alias()
	saved := g.scope
	defer func() { g.scope = saved }()
	var inner []genCol
	for _, c := range tb.cols {
		inner = append(inner, genCol{alias + "." + c.name, c.kind})
	}
	g.scope = append(inner, saved...)
	where := ""
	if g.choose(3) > 0 {
		where = " WHERE " + g.expr('b', 1)
	}
	return fmt.Sprintf("SELECT %s FROM %s AS %s%s", inner[0].name, tb.name, alias, where)
}

// windowCall writes a window function call of the given kind. In an
// aggregating SELECT its argument and window are aggregates, which a
// window over the groups may read.
func (g *sqlGen) windowCall(kind byte, aggs bool) string {
	operand := func(k byte) string {
		if aggs {
			return g.aggCall(k)
		}
		return g.expr(k, 0)
	}
	var fn string
	switch {
	case kind == 'i' && g.chance(2):
		fn = []string{"row_number()", "rank()", "dense_rank()", "count(*)", "ntile(3)"}[g.choose(5)]
	case kind == 'n' && g.chance(3):
		fn = []string{"percent_rank()", "cume_dist()"}[g.choose(2)]
	default:
		names := []string{"min", "max", "lag", "lead", "first_value", "last_value", "sum", "avg", "count"}
		switch kind {
		case 'i':
			names = []string{"min", "max", "lag", "lead", "first_value", "last_value", "sum", "count"}
		case 's', 'd', 'z', 'b':
			names = names[:6]
		}
		name := names[g.choose(len(names))]
		arg := kind
		if name == "count" {
			arg = g.kind()
		}
		switch {
		case (name == "lag" || name == "lead") && g.chance(2):
			fn = fmt.Sprintf("%s(%s, %d, %s)", name, operand(arg), g.choose(3), g.literal(arg))
		default:
			fn = fmt.Sprintf("%s(%s)", name, operand(arg))
		}
	}
	var w []string
	if g.chance(2) {
		var keys []string
		for i := 0; i <= g.choose(2); i++ {
			keys = append(keys, operand(g.kind()))
		}
		w = append(w, "PARTITION BY "+strings.Join(keys, ", "))
	}
	if g.chance(2) {
		var items []string
		for i := 0; i <= g.choose(2); i++ {
			items = append(items, operand(g.kind())+[]string{"", " DESC", " ASC", " DESC NULLS LAST", " NULLS FIRST"}[g.choose(5)])
		}
		w = append(w, "ORDER BY "+strings.Join(items, ", "))
		if g.chance(2) {
			w = append(w, g.frame(len(items) == 1))
		}
	}
	return fn + " OVER (" + strings.Join(w, " ") + ")"
}

// frame writes a window frame: ROWS with offsets, or RANGE with offsets
// only over a single order key (DuckDB then needs a numeric one; a
// query it rejects is skipped).
func (g *sqlGen) frame(oneKey bool) string {
	bound := func(start bool) string {
		n := g.choose(4)
		kinds := []string{"UNBOUNDED PRECEDING", fmt.Sprintf("%d PRECEDING", n), "CURRENT ROW", fmt.Sprintf("%d FOLLOWING", n), "UNBOUNDED FOLLOWING"}
		if start {
			return kinds[g.choose(4)]
		}
		return kinds[1+g.choose(4)]
	}
	mode := "ROWS"
	if g.chance(2) {
		mode = "RANGE"
	}
	// A few tries: once the fuzz bytes run out every try is the same.
	for range 8 {
		start, end := bound(true), bound(false)
		offsets := strings.ContainsAny(start+end, "0123456789")
		bad := mode == "RANGE" && offsets && !oneKey ||
			strings.HasPrefix(start, "CURRENT") && strings.HasSuffix(end, " PRECEDING") && !strings.HasPrefix(end, "UNB") ||
			strings.HasSuffix(start, " FOLLOWING") && (strings.HasSuffix(end, "PRECEDING") || end == "CURRENT ROW")
		if !bad {
			return mode + " BETWEEN " + start + " AND " + end
		}
	}
	return "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW"
}

// pattern is a regular expression for the regexp functions: literal
// patterns only, as DuckDB's optimiser and minisql's compile them once.
func (g *sqlGen) pattern() string {
	return []string{"a", "^a", "b$", "[a-c]+", "(a)(b)?", "x|y", ".", "", "[0-9]", "(?i)A"}[g.choose(10)]
}

// stringFuncMore is a call of split_part, lpad, rpad, translate, md5,
// chr, monthname, dayname or a regexp function returning a string.
func (g *sqlGen) stringFuncMore(sub func(byte) string) string {
	switch g.choose(9) {
	case 0:
		return fmt.Sprintf("split_part(%s, %s, %d)", sub('s'), g.literal('s'), g.choose(7)-3)
	case 1:
		return fmt.Sprintf("%s(%s, %d, %s)", []string{"lpad", "rpad"}[g.choose(2)], sub('s'), g.choose(8), []string{"'x'", "'ab'", "'é'"}[g.choose(3)])
	case 2:
		return fmt.Sprintf("translate(%s, %s, %s)", sub('s'), g.literal('s'), g.literal('s'))
	case 3:
		return fmt.Sprintf("md5(%s)", sub('s'))
	case 4:
		return fmt.Sprintf("chr(%d)", []int{65, 97, 233, 8364, 48}[g.choose(5)])
	case 5:
		return fmt.Sprintf("%s(%s)", []string{"monthname", "dayname"}[g.choose(2)], sub("dz"[g.choose(2)]))
	case 6:
		return fmt.Sprintf("regexp_extract(%s, '%s'%s)", sub('s'), g.pattern(), []string{"", ", 0", ", 1", ", 2"}[g.choose(4)])
	default:
		return fmt.Sprintf("regexp_replace(%s, '%s', '%s'%s)", sub('s'), g.pattern(), []string{"", "x", "<\\0>", "\\1\\1", "$"}[g.choose(5)], []string{"", ", 'g'", ", 'gi'"}[g.choose(3)])
	}
}
