package binder

import (
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// bindFrom binds a FROM clause: comma-separated items become inner joins
// without a condition (the optimizer turns WHERE equalities into join keys).
func (b *binder) bindFrom(from sqlparser.TableExprs, outer *scope) (plan.Node, *scope, error) {
	sc := &scope{outer: outer}
	if len(from) == 1 && isDual(from[0]) {
		from = nil // sqlparser's stand-in for a SELECT without FROM
	}
	if len(from) == 0 {
		return &plan.Values{Rows: [][]expr.Expr{{}}}, sc, nil
	}
	var node plan.Node
	for _, te := range from {
		n, err := b.bindTableExpr(te, sc)
		if err != nil {
			return nil, nil, err
		}
		if node == nil {
			node = n
		} else {
			node = &plan.Join{Kind: plan.InnerJoin, Left: node, Right: n}
		}
	}
	return node, sc, nil
}

// bindTableExpr binds one FROM item, adding its columns to sc.
func (b *binder) bindTableExpr(te sqlparser.TableExpr, sc *scope) (plan.Node, error) {
	switch te := te.(type) {
	case *sqlparser.AliasedTableExpr:
		return b.bindAliased(te, sc)
	case *sqlparser.ParenTableExpr:
		var node plan.Node
		for _, in := range te.Exprs {
			n, err := b.bindTableExpr(in, sc)
			if err != nil {
				return nil, err
			}
			if node == nil {
				node = n
			} else {
				node = &plan.Join{Kind: plan.InnerJoin, Left: node, Right: n}
			}
		}
		return node, nil
	case *sqlparser.JoinTableExpr:
		return b.bindJoin(te, sc)
	}
	return nil, sqlerr.NotSupported("FROM item %s", parse.Format(te))
}

func (b *binder) bindAliased(te *sqlparser.AliasedTableExpr, sc *scope) (plan.Node, error) {
	alias := te.As.String()
	var colAliases []string
	if da, ok := b.aliases[alias]; ok {
		alias, colAliases = da.Name, da.Columns
	}
	switch src := te.Expr.(type) {
	case sqlparser.TableName:
		name := src.Name.String()
		if !src.Qualifier.IsEmpty() {
			return nil, b.errAt(name, sqlerr.ErrNotSupported, "qualified table name %s", parse.Format(src))
		}
		if alias == "" {
			alias = name
		}
		if cte, frame, pos := b.lookupCTE(name); cte != nil {
			if wt := b.recursing[cte]; wt != nil {
				return b.bindWorkTableRef(wt, alias, colAliases, sc)
			}
			return b.bindCTERef(cte, frame, pos, alias, colAliases, sc)
		}
		if text, viewCols, ok := b.lookupView(name); ok {
			node, cols, err := b.bindView(name, text, viewCols)
			if err != nil {
				return nil, err
			}
			return b.derived(node, cols, alias, colAliases, sc)
		}
		t, err := b.table(name)
		if err != nil && b.laterCTE(name) {
			return nil, b.errAt(name, sqlerr.ErrNotSupported, "%q names a later CTE of the same WITH RECURSIVE (mutual recursion)", name)
		}
		if err != nil {
			return nil, err
		}
		scan := &plan.Scan{Table: t, Alias: alias}
		for _, f := range t.Schema().Fields() {
			scan.Cols = append(scan.Cols, plan.Column{ID: b.newID(), Name: f.Name, Table: alias, Type: types.MustFromArrow(f.Type)})
		}
		cols, err := renameColumns(scan.Cols, colAliases, alias)
		if err != nil {
			return nil, err
		}
		scan.Cols = cols
		sc.add(alias, scan.Cols)
		return scan, nil
	case *sqlparser.Subquery:
		node, cols, err := b.bindSelectStatement(src.Select, nil)
		if err != nil {
			return nil, err
		}
		return b.derived(node, cols, alias, colAliases, sc)
	}
	return nil, sqlerr.NotSupported("FROM item %s", parse.Format(te))
}

// derived wraps a subquery's plan so its columns carry the alias and the
// column-alias list.
func (b *binder) derived(node plan.Node, cols []plan.Column, alias string, colAliases []string, sc *scope) (plan.Node, error) {
	renamed, err := renameColumns(cols, colAliases, alias)
	if err != nil {
		return nil, err
	}
	exprs := make([]expr.Expr, len(cols))
	for i, c := range cols {
		exprs[i] = c.Ref()
	}
	sc.add(alias, renamed)
	return &plan.Project{Input: node, Exprs: exprs, Cols: renamed}, nil
}

func renameColumns(cols []plan.Column, names []string, table string) ([]plan.Column, error) {
	if len(names) > len(cols) {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "%s has %d columns but %d column aliases were given", table, len(cols), len(names))
	}
	out := make([]plan.Column, len(cols))
	for i, c := range cols {
		c.Table = table
		if i < len(names) {
			c.Name = names[i]
		}
		out[i] = c
	}
	return out, nil
}

// bindCTERef binds a reference to a CTE. Each reference binds the CTE's
// query anew, so its columns get their own IDs (Q15 uses one CTE twice).
//
// The body is bound with the WITH clauses in scope where the CTE was
// defined, seeing only the CTEs before it: so a CTE may read a table of its
// own name. A CTE of a WITH RECURSIVE that names itself is bound as a
// recursive CTE (cte_recursive.go).
func (b *binder) bindCTERef(cte *parse.CTE, frame, pos int, alias string, colAliases []string, sc *scope) (plan.Node, error) {
	if b.ctes[frame].recursive && isRecursiveCTE(cte) {
		node, cols, err := b.bindRecursiveCTE(cte, frame, pos)
		if err != nil {
			return nil, err
		}
		if colAliases == nil {
			colAliases = cte.Columns
		}
		return b.derived(node, cols, alias, colAliases, sc)
	}
	saved := b.ctes
	b.ctes = append(append([]cteFrame{}, saved[:frame]...), cteFrame{ctes: saved[frame].ctes, visible: pos, recursive: saved[frame].recursive})
	depth := b.depth
	b.depth = 1 << 20 // errors inside the body search the whole text
	node, cols, err := b.bindQuery(cte.Query, nil)
	b.ctes, b.depth = saved, depth
	if err != nil {
		return nil, err
	}
	if colAliases == nil {
		colAliases = cte.Columns
	}
	return b.derived(node, cols, alias, colAliases, sc)
}

// bindJoin binds an explicit JOIN.
func (b *binder) bindJoin(te *sqlparser.JoinTableExpr, sc *scope) (plan.Node, error) {
	// The join's own columns are sc.cols[start:]: in "a, b JOIN c ON ...",
	// as in standard SQL, the ON condition and USING see b and c, not a.
	start := len(sc.cols)
	left, err := b.bindTableExpr(te.LeftExpr, sc)
	if err != nil {
		return nil, err
	}
	leftCols := len(sc.cols)
	right, err := b.bindTableExpr(te.RightExpr, sc)
	if err != nil {
		return nil, err
	}
	j := &plan.Join{Left: left, Right: right}
	name := strings.ToUpper(te.Join)
	on, using := te.Condition.On, te.Condition.Using
	switch strings.ToLower(te.Join) {
	case sqlparser.JoinStr, sqlparser.StraightJoinStr:
		j.Kind = plan.InnerJoin
	case sqlparser.LeftJoinStr:
		j.Kind = plan.LeftJoin
		if fon, fusing, ok := parse.FullJoinCondition(te.Condition); ok {
			j.Kind, name, on, using = plan.FullJoin, "FULL JOIN", fon, fusing
		}
	case sqlparser.RightJoinStr:
		j.Kind = plan.RightJoin
	case sqlparser.NaturalJoinStr, sqlparser.NaturalLeftJoinStr, sqlparser.NaturalRightJoinStr:
		return b.bindNaturalJoin(te, j, sc, start, leftCols)
	default:
		return nil, sqlerr.NotSupported("%s", strings.ToUpper(te.Join))
	}
	onSubquery := on != nil && hasSubquery(on)
	switch {
	case onSubquery && j.Kind == plan.InnerJoin:
		// An inner join's ON is a WHERE over the pair of inputs: bound
		// as one, its subqueries become joins of their own (semi, anti,
		// mark), and the optimizer pushes the rest back into the join.
		onScope := &scope{cols: sc.cols[start:len(sc.cols):len(sc.cols)], outer: sc.outer, corr: sc.corr}
		rel := &relBuilder{node: j}
		if err := b.bindWhere(on, onScope, rel, nil); err != nil {
			return nil, err
		}
		return rel.node, nil
	case onSubquery:
		return nil, sqlerr.NotSupported("a subquery in the ON condition of a %s", name)
	case on != nil:
		onScope := &scope{cols: sc.cols[start:len(sc.cols):len(sc.cols)], outer: sc.outer, corr: sc.corr}
		cond, err := b.bindPredicate(on, onScope, nil)
		if err != nil {
			return nil, err
		}
		j.Cond = cond
	case len(using) == 1 && using[0].EqualString(parse.NaturalJoinMarker):
		names := commonColumns(sc, start, leftCols)
		if len(names) == 0 {
			// DuckDB refuses it too: a FULL join on nothing is no join.
			return nil, sqlerr.New(sqlerr.ErrUnknownColumn, "NATURAL FULL JOIN: the two sides have no column name in common")
		}
		return b.usingCondition(j, names, sc, start, leftCols)
	case len(using) > 0:
		var names []string
		for _, c := range using {
			names = append(names, c.String())
		}
		return b.usingCondition(j, names, sc, start, leftCols)
	}
	return j, nil
}

// commonColumns returns the names of the right side's columns
// (sc.cols[leftCols:]) that the left side (sc.cols[start:leftCols]) has
// too, in the right side's order.
func commonColumns(sc *scope, start, leftCols int) []string {
	var names []string
	for _, r := range sc.cols[leftCols:] {
		for _, l := range sc.cols[start:leftCols] {
			if strings.EqualFold(l.col.Name, r.col.Name) {
				names = append(names, r.col.Name)
				break
			}
		}
	}
	return names
}

// hasSubquery reports whether e contains a subquery.
func hasSubquery(e sqlparser.Expr) bool {
	found := false
	_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		if _, ok := node.(*sqlparser.Subquery); ok {
			found = true
		}
		return !found, nil
	}, e)
	return found
}

func (b *binder) bindNaturalJoin(te *sqlparser.JoinTableExpr, j *plan.Join, sc *scope, start, leftCols int) (plan.Node, error) {
	switch te.Join {
	case sqlparser.NaturalLeftJoinStr:
		j.Kind = plan.LeftJoin
	case sqlparser.NaturalRightJoinStr:
		j.Kind = plan.RightJoin
	}
	names := commonColumns(sc, start, leftCols)
	if len(names) == 0 {
		return j, nil // no common column: a cross join
	}
	return b.usingCondition(j, names, sc, start, leftCols)
}

// usingCondition adds left.c = right.c for every USING column and hides the
// right copy from unqualified references (so SELECT c is not ambiguous).
// The left side's columns are sc.cols[start:leftCols], the right side's
// the rest. For a FULL JOIN the merged column is coalesce(left.c,
// right.c), as in DuckDB: either side may be the NULL-extended one. It is
// computed by a projection over the join, which is returned in its place.
func (b *binder) usingCondition(j *plan.Join, names []string, sc *scope, start, leftCols int) (plan.Node, error) {
	var conds []expr.Expr
	var merged []expr.Expr
	var mergedCols []plan.Column
	for _, n := range names {
		l := usingColumn(sc.cols[start:leftCols], n)
		r := usingColumn(sc.cols[leftCols:], n)
		if l == nil || r == nil {
			return nil, b.errAt(n, sqlerr.ErrUnknownColumn, "%q in USING", n)
		}
		eq, err := b.comparison(expr.OpEq, l.col.Ref(), r.col.Ref())
		if err != nil {
			return nil, err
		}
		conds = append(conds, eq)
		r.hiddenUnqualified = true
		switch j.Kind {
		case plan.RightJoin:
			// The merged column takes the right side's value (the left one
			// may be NULL) but keeps the left side's place in SELECT *.
			l.hiddenUnqualified = true
			m := scopeCol{table: r.table, col: r.col}
			i := indexOfCol(sc.cols, l)
			sc.cols = append(sc.cols[:i+1], append([]scopeCol{m}, sc.cols[i+1:]...)...)
			leftCols++
		case plan.FullJoin:
			// Unqualified, the name is the merged column; qualified, each
			// side's own column.
			co, err := coalesce([]expr.Expr{l.col.Ref(), r.col.Ref()})
			if err != nil {
				return nil, err
			}
			col := plan.Column{ID: b.newID(), Name: l.col.Name, Type: co.Type()}
			merged, mergedCols = append(merged, co), append(mergedCols, col)
			l.hiddenUnqualified = true
			i := indexOfCol(sc.cols, l)
			sc.cols = append(sc.cols[:i+1], append([]scopeCol{{col: col}}, sc.cols[i+1:]...)...)
			leftCols++
		}
	}
	j.Cond = andOf(conds)
	if len(merged) == 0 {
		return j, nil
	}
	cols := append(j.Columns(), mergedCols...)
	exprs := make([]expr.Expr, 0, len(cols))
	for _, c := range j.Columns() {
		exprs = append(exprs, c.Ref())
	}
	return &plan.Project{Input: j, Exprs: append(exprs, merged...), Cols: cols}, nil
}

// usingColumn finds the column a USING name refers to on one side of a
// join: the one an unqualified reference would name (after an earlier
// USING, the merged column rather than a hidden copy), else the last of
// that name.
func usingColumn(cols []scopeCol, name string) *scopeCol {
	var found *scopeCol
	for i := range cols {
		c := &cols[i]
		if !strings.EqualFold(c.col.Name, name) {
			continue
		}
		if found == nil || found.hiddenUnqualified || !c.hiddenUnqualified {
			found = c
		}
	}
	return found
}

func indexOfCol(cols []scopeCol, c *scopeCol) int {
	for i := range cols {
		if &cols[i] == c {
			return i
		}
	}
	return -1
}

// andOf combines conjuncts (nil for none).
func andOf(conds []expr.Expr) expr.Expr {
	switch len(conds) {
	case 0:
		return nil
	case 1:
		return conds[0]
	}
	return &expr.And{Args: conds}
}

func isDual(te sqlparser.TableExpr) bool {
	a, ok := te.(*sqlparser.AliasedTableExpr)
	if !ok {
		return false
	}
	tn, ok := a.Expr.(sqlparser.TableName)
	return ok && tn.Name.String() == "dual" && tn.Qualifier.IsEmpty() && a.As.IsEmpty()
}
