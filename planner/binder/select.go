package binder

import (
	"strconv"
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// selectItem is one output of a SELECT (or a hidden ORDER BY column).
type selectItem struct {
	e     expr.Expr
	col   plan.Column
	alias string // explicit AS name, for ORDER BY / GROUP BY lookups
	ast   sqlparser.Expr
	// hidden items are ORDER BY expressions missing from the select list:
	// projected for the sort, dropped after it.
	hidden bool
}

// corrSpec is set when binding a subquery that may refer to its enclosing
// query: conjuncts of WHERE that do go to preds instead of a filter, and
// the columns those conjuncts need are added to the outputs.
type corrSpec struct {
	preds []expr.Expr
	// extra are the subquery outputs added for the join condition.
	extra []plan.Column
}

func (b *binder) bindSelect(sel *sqlparser.Select, outer *scope, cs *corrSpec) (plan.Node, []plan.Column, error) {
	b.depth++
	defer func() { b.depth-- }()
	if pos, ok := withMarker(sel); ok {
		pop, err := b.pushNestedWith(pos)
		if err != nil {
			return nil, nil, err
		}
		defer pop()
		sel = withoutMarker(sel)
	}
	b.clause("from")
	node, sc, err := b.bindFrom(sel.From, outer)
	if err != nil {
		return nil, nil, err
	}
	if cs != nil {
		sc.corr = &correlation{}
	}
	rel := &relBuilder{node: node}
	selectExprs, sample := splitSample(sel.SelectExprs)
	if sample != nil {
		if rel.node, err = b.applySample(rel.node, sample); err != nil {
			return nil, nil, err
		}
	}
	if sel.Where != nil {
		b.clause("where")
		if err := b.bindWhere(sel.Where.Expr, sc, rel, cs); err != nil {
			return nil, nil, err
		}
	}
	nOuter := 0
	if sc.corr != nil {
		nOuter = len(sc.corr.outer)
	}
	inputIDs := map[expr.ColumnID]bool{}
	for _, c := range sc.cols {
		inputIDs[c.col.ID] = true
	}

	aggregating := len(sel.GroupBy) > 0 || hasAggregate(sel.SelectExprs, sel.Having, sel.OrderBy)
	var agg *aggState
	if aggregating {
		agg = &aggState{input: sc}
		rel.deferred = true
	}
	ctx := &exprCtx{sc: sc, agg: agg, rel: rel, win: &winState{}}

	b.clause("select")
	list, qualifyAST := splitQualify(selectExprs)
	items, err := b.bindSelectList(list, ctx)
	if err != nil {
		return nil, nil, err
	}
	var keys []expr.Expr
	var keyCols []plan.Column
	var sets [][]int // grouping sets; nil for a plain GROUP BY
	if aggregating {
		b.clause("group")
		if hasGroupingSets(sel.GroupBy) {
			keys, sets, err = b.bindGroupingSets(sel.GroupBy, items, sc)
		} else {
			keys, err = b.bindGroupBy(sel.GroupBy, items, sc)
		}
		if err != nil {
			return nil, nil, err
		}
		if cs != nil && len(cs.preds) > 0 {
			if sets != nil {
				return nil, nil, sqlerr.NotSupported("GROUPING SETS, ROLLUP, CUBE or grouping() in a correlated subquery")
			}
			if keys, err = b.correlatedKeys(cs, keys, sc); err != nil {
				return nil, nil, err
			}
			for _, c := range cs.extra { // the keys the join condition reads
				items = append(items, selectItem{e: c.Ref(), col: c})
			}
		}
	}
	var having expr.Expr
	if sel.Having != nil {
		b.clause("having")
		if !aggregating {
			return nil, nil, sqlerr.New(sqlerr.ErrSyntax, "HAVING without GROUP BY or aggregates")
		}
		hctx := *ctx
		hctx.win = nil // windows come after HAVING
		if having, err = b.bindBool(sel.Having.Expr, &hctx); err != nil {
			return nil, nil, err
		}
	}
	b.clause("order")
	order, err := b.bindOrderBy(sel.OrderBy, &items, ctx)
	if err != nil {
		return nil, nil, err
	}
	var qualify expr.Expr
	if qualifyAST != nil {
		if qualify, err = b.bindQualify(qualifyAST, items, ctx); err != nil {
			return nil, nil, err
		}
	}
	if aggregating {
		if sets == nil && len(agg.groupings) > 0 {
			if cs != nil && len(cs.preds) > 0 {
				return nil, nil, sqlerr.NotSupported("grouping() in a correlated subquery")
			}
			sets = allKeys(len(keys)) // grouping() of a plain GROUP BY: 0
		}
		for _, k := range keys {
			if sets != nil {
				// A key of some sets only is NULL in the others' rows:
				// not the input column, so it gets an ID of its own.
				keyCols = append(keyCols, plan.Column{ID: b.newID(), Name: keyName(k), Type: k.Type()})
			} else if r, ok := k.(*expr.ColumnRef); ok {
				keyCols = append(keyCols, plan.Column{ID: r.ID, Name: r.Name, Type: r.T})
			} else {
				keyCols = append(keyCols, plan.Column{ID: b.newID(), Name: k.String(), Type: k.Type()})
			}
		}
		// Before the keys replace the select items' expressions, which an
		// alias among grouping()'s arguments names.
		var groupings [][]int
		var groupingCols []plan.Column
		if sets != nil {
			if groupings, groupingCols, err = b.resolveGroupings(agg.groupings, keys, items, sc); err != nil {
				return nil, nil, err
			}
		}
		for i := range items {
			items[i].e = replaceKeys(items[i].e, keys, keyCols)
			if err := b.checkGrouped(items[i].e, inputIDs, keyCols); err != nil {
				return nil, nil, err
			}
		}
		for _, e := range []*expr.Expr{&having, &qualify} {
			if *e == nil {
				continue
			}
			*e = replaceKeys(*e, keys, keyCols)
			if err := b.checkGrouped(*e, inputIDs, keyCols); err != nil {
				return nil, nil, err
			}
		}
		if err := b.checkPending(rel, keys, keyCols, append(append([]plan.Column{}, agg.cols...), groupingCols...), inputIDs); err != nil {
			return nil, nil, err
		}
		if sets != nil {
			rel.node = &plan.GroupingSets{Input: rel.node, Keys: keys, KeyCols: keyCols, Sets: sets,
				Aggs: agg.calls, AggCols: agg.cols, Groupings: groupings, GroupingCols: groupingCols}
		} else {
			rel.node = &plan.Aggregate{Input: rel.node, Keys: keys, KeyCols: keyCols, Aggs: agg.calls, AggCols: agg.cols}
		}
		rel.deferred = false
		for _, p := range rel.pending {
			rel.joinMark(p.kind, p.right, p.cond, p.mark)
		}
		if having != nil {
			rel.node = &plan.Filter{Input: rel.node, Pred: having}
		}
	}
	if sc.corr != nil && len(sc.corr.outer) > nOuter || outsideWhere(sc, items, keys, having) {
		return nil, nil, sqlerr.NotSupported("a correlated reference outside the subquery's WHERE clause")
	}
	if cs != nil && !aggregating {
		b.correlatedColumns(cs, &items, inputIDs)
	}
	if len(ctx.win.specs) > 0 {
		fix := func(e expr.Expr) (expr.Expr, error) { return e, nil }
		if aggregating {
			fix = func(e expr.Expr) (expr.Expr, error) {
				e = replaceKeys(e, keys, keyCols)
				return e, b.checkGrouped(e, inputIDs, keyCols)
			}
		}
		if rel.node, err = b.addWindows(rel.node, ctx.win, fix); err != nil {
			return nil, nil, err
		}
	}
	if qualify != nil {
		rel.node = &plan.Filter{Input: rel.node, Pred: qualify}
	}
	return b.finishSelect(rel.node, items, order, sel.Distinct != "", sel.Limit)
}

// bindWhere binds WHERE conjunct by conjunct: EXISTS and IN (subquery)
// become semi/anti joins, correlated conjuncts of a subquery go to cs.
func (b *binder) bindWhere(where sqlparser.Expr, sc *scope, rel *relBuilder, cs *corrSpec) error {
	var filters []expr.Expr
	for _, conj := range splitAnd(where) {
		handled, err := b.whereSubquery(conj, sc, rel)
		if err != nil {
			return err
		}
		if handled {
			continue
		}
		x, err := b.bindBool(conj, &exprCtx{sc: sc, rel: rel})
		if err != nil {
			return err
		}
		if cs != nil && refsAny(x, sc.corr.outer) {
			cs.preds = append(cs.preds, x)
			continue
		}
		filters = append(filters, x)
	}
	if len(filters) > 0 {
		rel.node = &plan.Filter{Input: rel.node, Pred: andOf(filters)}
	}
	return nil
}

// outsideWhere reports whether a subquery's select list, grouping keys or
// HAVING read an enclosing query's column; counting the correlated columns
// misses a column that WHERE reads too.
func outsideWhere(sc *scope, items []selectItem, keys []expr.Expr, having expr.Expr) bool {
	if sc.corr == nil || len(sc.corr.outer) == 0 {
		return false
	}
	for _, it := range items {
		if it.e != nil && refsAny(it.e, sc.corr.outer) {
			return true
		}
	}
	for _, k := range keys {
		if refsAny(k, sc.corr.outer) {
			return true
		}
	}
	return having != nil && refsAny(having, sc.corr.outer)
}

func splitAnd(e sqlparser.Expr) []sqlparser.Expr {
	switch x := e.(type) {
	case *sqlparser.AndExpr:
		return append(splitAnd(x.Left), splitAnd(x.Right)...)
	case *sqlparser.ParenExpr:
		if _, ok := x.Expr.(*sqlparser.AndExpr); ok {
			return splitAnd(x.Expr)
		}
	}
	return []sqlparser.Expr{e}
}

func refsAny(e expr.Expr, ids map[expr.ColumnID]bool) bool {
	found := false
	walkRefs(e, func(r *expr.ColumnRef) { found = found || ids[r.ID] })
	return found
}

func (b *binder) bindSelectList(list sqlparser.SelectExprs, ctx *exprCtx) ([]selectItem, error) {
	var items []selectItem
	for _, se := range list {
		switch se := se.(type) {
		case *sqlparser.StarExpr:
			cols, err := b.star(ctx.sc, se.TableName.Name.String())
			if err != nil {
				return nil, err
			}
			for _, c := range cols {
				items = append(items, selectItem{e: c.Ref(), col: plan.Column{ID: c.ID, Name: c.Name, Type: c.Type}})
			}
		case *sqlparser.AliasedExpr:
			if f, ok := isStarCall(se.Expr); ok {
				more, err := b.bindStar(f, ctx)
				if err != nil {
					return nil, err
				}
				items = append(items, more...)
				continue
			}
			e, err := b.bindExpr(se.Expr, ctx)
			if err != nil {
				return nil, err
			}
			name := se.As.String()
			alias := name
			if name == "" {
				name = exprName(se.Expr)
			}
			col := plan.Column{Name: name, Type: e.Type()}
			items = append(items, selectItem{e: e, col: col, alias: alias, ast: se.Expr})
		default:
			return nil, sqlerr.NotSupported("select item %s", parse.Format(se))
		}
	}
	return items, nil
}

// bindGroupBy resolves GROUP BY items: an ordinal or a select alias names a
// select item; anything else is an expression over the FROM columns.
func (b *binder) bindGroupBy(groupBy sqlparser.GroupBy, items []selectItem, sc *scope) ([]expr.Expr, error) {
	var keys []expr.Expr
	seen := map[string]bool{}
	if len(groupBy) == 1 && isAllMarker(groupBy[0]) {
		// GROUP BY ALL: every select item without an aggregate.
		for _, it := range items {
			if it.ast != nil && !hasAggregate(it.ast) && !hasWindow(it.ast) {
				keys, seen = appendKey(keys, seen, it.e)
			} else if it.ast == nil && it.e != nil { // a * column
				keys, seen = appendKey(keys, seen, it.e)
			}
		}
		return keys, nil
	}
	for _, g := range groupBy {
		key, err := b.bindGroupKey(g, items, sc, true)
		if err != nil {
			return nil, err
		}
		keys, seen = appendKey(keys, seen, key)
	}
	return keys, nil
}

// bindGroupKey binds one GROUP BY key: an ordinal (when ordinals is set)
// or a select alias names a select item; anything else is an expression
// over the FROM columns.
func (b *binder) bindGroupKey(g sqlparser.Expr, items []selectItem, sc *scope, ordinals bool) (expr.Expr, error) {
	if n, ok := ordinal(g); ok && ordinals {
		if n < 1 || n > len(items) || items[n-1].ast == nil && items[n-1].e == nil {
			return nil, sqlerr.New(sqlerr.ErrSyntax, "GROUP BY position %s is not in the select list", parse.Format(g))
		}
		it := items[n-1]
		if it.ast != nil && hasAggregate(it.ast) {
			return nil, sqlerr.New(sqlerr.ErrSyntax, "GROUP BY position %d refers to an aggregate", n)
		}
		return it.e, nil
	}
	x, err := b.bindExpr(g, &exprCtx{sc: sc})
	if err != nil {
		// A select alias, when it is not a FROM column.
		if c, ok := g.(*sqlparser.ColName); ok && c.Qualifier.IsEmpty() {
			if it := findAlias(items, c.Name.String()); it != nil && !hasAggregate(it.ast) {
				return it.e, nil
			}
		}
		return nil, err
	}
	return x, nil
}

func appendKey(keys []expr.Expr, seen map[string]bool, k expr.Expr) ([]expr.Expr, map[string]bool) {
	if kk := keyOf(k); !seen[kk] {
		seen[kk] = true
		keys = append(keys, k)
	}
	return keys, seen
}

func ordinal(e sqlparser.Expr) (int, bool) {
	v, ok := e.(*sqlparser.SQLVal)
	if !ok || v.Type != sqlparser.IntVal {
		return 0, false
	}
	// sqlparser folds a minus sign into the literal (-1 arrives as "-1"),
	// and the text may not fit an int: anything out of range is 0, which
	// no select item has.
	n, err := strconv.ParseInt(string(v.Val), 10, 32)
	if err != nil || n < 1 {
		return 0, true
	}
	return int(n), true
}

func findAlias(items []selectItem, name string) *selectItem {
	for i := range items {
		if items[i].alias != "" && strings.EqualFold(items[i].alias, name) {
			return &items[i]
		}
	}
	return nil
}

// bindOrderBy resolves ORDER BY items to select items, adding hidden items
// for expressions not in the select list.
func (b *binder) bindOrderBy(orderBy sqlparser.OrderBy, items *[]selectItem, ctx *exprCtx) ([]orderItem, error) {
	var out []orderItem
	if len(orderBy) > 0 && isAllMarker(orderBy[0].Expr) && (len(orderBy) == 1 || len(orderBy) == 2 && isNullsMarker(orderBy[1].Expr)) {
		// ORDER BY ALL: every select item, left to right.
		nullsFirst := len(orderBy) == 2 && orderBy[1].Expr.(*sqlparser.ColName).Name.Lowered() == "__msq_nulls_first"
		for i := range *items {
			out = append(out, orderItem{item: i, desc: orderBy[0].Direction == sqlparser.DescScr, nullsFirst: nullsFirst})
		}
		return out, nil
	}
	for _, o := range orderBy {
		if c, ok := o.Expr.(*sqlparser.ColName); ok && strings.HasPrefix(c.Name.Lowered(), "__msq_nulls_") {
			if len(out) == 0 {
				return nil, sqlerr.New(sqlerr.ErrSyntax, "NULLS FIRST/LAST without an ORDER BY item")
			}
			out[len(out)-1].nullsFirst = c.Name.Lowered() == "__msq_nulls_first"
			continue
		}
		item := orderItem{desc: o.Direction == sqlparser.DescScr}
		if n, ok := ordinal(o.Expr); ok {
			if n < 1 || n > len(*items) {
				return nil, sqlerr.New(sqlerr.ErrSyntax, "ORDER BY position %s is not in the select list", parse.Format(o.Expr))
			}
			item.item = n - 1
			out = append(out, item)
			continue
		}
		if c, ok := o.Expr.(*sqlparser.ColName); ok && c.Qualifier.IsEmpty() {
			if it := findAlias(*items, c.Name.String()); it != nil {
				item.item = indexOf(*items, it)
				out = append(out, item)
				continue
			}
		}
		x, err := b.bindExpr(o.Expr, ctx)
		if err != nil {
			return nil, err
		}
		item.item = -1
		k := keyOf(x)
		for i, it := range *items {
			if keyOf(it.e) == k {
				item.item = i
				break
			}
		}
		if item.item < 0 {
			item.item = len(*items)
			*items = append(*items, selectItem{e: x, col: plan.Column{Name: x.String(), Type: x.Type()}, hidden: true})
		}
		out = append(out, item)
	}
	return out, nil
}

func indexOf(items []selectItem, it *selectItem) int {
	for i := range items {
		if &items[i] == it {
			return i
		}
	}
	return -1
}

type orderItem struct {
	item       int
	desc       bool
	nullsFirst bool
}

// finishSelect adds the projection, DISTINCT, ORDER BY, LIMIT and, when
// ORDER BY needed hidden columns, a final projection that drops them.
func (b *binder) finishSelect(node plan.Node, items []selectItem, order []orderItem, distinct bool, limit *sqlparser.Limit) (plan.Node, []plan.Column, error) {
	proj := &plan.Project{Input: node}
	var out []plan.Column
	for i := range items {
		it := &items[i]
		if r, ok := it.e.(*expr.ColumnRef); ok {
			it.col.ID = r.ID
		} else {
			it.col.ID = b.newID()
		}
		it.col.Type = it.e.Type()
		proj.Exprs = append(proj.Exprs, it.e)
		proj.Cols = append(proj.Cols, it.col)
		if !it.hidden {
			out = append(out, it.col)
		}
	}
	node = proj
	if distinct {
		for _, o := range order {
			if items[o.item].hidden {
				return nil, nil, sqlerr.New(sqlerr.ErrSyntax, "for SELECT DISTINCT, ORDER BY expressions must appear in the select list")
			}
		}
		var keys []expr.Expr
		for _, c := range proj.Cols {
			keys = append(keys, c.Ref())
		}
		node = &plan.Aggregate{Input: node, Keys: keys, KeyCols: proj.Cols}
	}
	if len(order) > 0 {
		s := &plan.Sort{Input: node}
		for _, o := range order {
			s.Keys = append(s.Keys, plan.SortItem{Expr: proj.Cols[o.item].Ref(), Desc: o.desc, NullsFirst: o.nullsFirst})
		}
		node = s
	}
	if limit != nil {
		l, err := b.bindLimit(limit)
		if err != nil {
			return nil, nil, err
		}
		l.Input = node
		node = l
	}
	if len(out) < len(proj.Cols) {
		final := &plan.Project{Input: node, Cols: out}
		for _, c := range out {
			final.Exprs = append(final.Exprs, c.Ref())
		}
		node = final
	}
	return node, out, nil
}

func (b *binder) bindLimit(l *sqlparser.Limit) (*plan.Limit, error) {
	b.clause("limit")
	out := &plan.Limit{Count: -1}
	get := func(e sqlparser.Expr, what string) (int64, error) {
		x, err := b.bindExpr(e, &exprCtx{sc: &scope{}})
		if err != nil {
			return 0, err
		}
		lit, ok := x.(*expr.Literal)
		if !ok || lit.T.Kind != types.Int64 || !lit.Value.Valid || lit.Value.I < 0 {
			return 0, sqlerr.New(sqlerr.ErrSyntax, "%s must be a non-negative integer constant", what)
		}
		return lit.Value.I, nil
	}
	var err error
	if l.Rowcount != nil {
		if out.Count, err = get(l.Rowcount, "LIMIT"); err != nil {
			return nil, err
		}
		if out.Count >= 1<<62 { // OFFSET without LIMIT
			out.Count = -1
		}
	}
	if l.Offset != nil {
		if out.Offset, err = get(l.Offset, "OFFSET"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// isAllMarker reports the pre-lexer's ALL of GROUP BY ALL / ORDER BY ALL.
func isAllMarker(e sqlparser.Expr) bool {
	c, ok := e.(*sqlparser.ColName)
	return ok && c.Qualifier.IsEmpty() && c.Name.Lowered() == parse.AllMarker
}

// isNullsMarker reports the pre-lexer's NULLS FIRST/LAST item.
func isNullsMarker(e sqlparser.Expr) bool {
	c, ok := e.(*sqlparser.ColName)
	return ok && strings.HasPrefix(c.Name.Lowered(), "__msq_nulls_")
}

// hasWindow reports whether an AST expression holds a window call.
func hasWindow(n sqlparser.SQLNode) bool {
	found := false
	_ = sqlparser.Walk(func(node sqlparser.SQLNode) (bool, error) {
		if f, ok := node.(*sqlparser.FuncExpr); ok && f.Name.Lowered() == "__over" {
			found = true
		}
		return !found, nil
	}, n)
	return found
}
