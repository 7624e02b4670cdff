package binder

import (
	"errors"
	"strconv"
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/xwb1989/sqlparser"
)

// exprCtx says where an expression is being bound.
type exprCtx struct {
	sc *scope
	// agg collects aggregate calls; nil where aggregates are not allowed.
	agg *aggState
	// rel is the relation scalar subqueries join onto; nil where they are
	// not allowed.
	rel *relBuilder
	// win collects window calls; nil where they are not allowed.
	win *winState
	// aliases are the select items a name that is no input column may
	// refer to (QUALIFY's); nil elsewhere.
	aliases []selectItem
}

// relBuilder holds the plan under construction, which scalar subqueries
// extend with joins. In an aggregating SELECT the joins wait in pending
// until the Aggregate exists (they join above it).
type relBuilder struct {
	node     plan.Node
	deferred bool
	pending  []pendingJoin
}

type pendingJoin struct {
	kind  plan.JoinKind
	right plan.Node
	cond  expr.Expr
	mark  plan.Column
}

// checkRefs is checkJoinRefs for a join the builder is about to add; a
// join waiting for the Aggregate is checked by checkPending.
func (r *relBuilder) checkRefs(cond expr.Expr, right plan.Node) error {
	if r.deferred {
		return nil
	}
	return checkJoinRefs(cond, r.node, right)
}

func (r *relBuilder) join(kind plan.JoinKind, right plan.Node, cond expr.Expr) {
	r.joinMark(kind, right, cond, plan.Column{})
}

func (r *relBuilder) joinMark(kind plan.JoinKind, right plan.Node, cond expr.Expr, mark plan.Column) {
	if r.deferred {
		r.pending = append(r.pending, pendingJoin{kind, right, cond, mark})
		return
	}
	r.node = &plan.Join{Kind: kind, Left: r.node, Right: right, Cond: cond, Mark: mark}
}

// MaxExprDepth bounds the nesting of an expression (a+a+...+a with n
// terms nests n deep; so do chains of NOT, unary minus and CASE, which need
// no parentheses; AND and OR chains bind flat and do not count). Binding,
// optimizing, compiling and evaluating all recurse over the tree, and some
// steps cost time in proportion to the depth at every level: the limit,
// DuckDB's and SQLite's default, keeps their stacks and time bounded.
const MaxExprDepth = 1000

// MaxExprNodes bounds the size of a bound expression counted as a tree.
// Some constructs are bound into CASEs that name an operand several times
// (greatest and least, nullif, simple CASE, IS TRUE, BETWEEN): nested, they
// share subtrees, which every later pass walks once per reference, so the
// work grows exponentially with the nesting. The limit turns that into an
// error.
const MaxExprNodes = 1 << 20

func (b *binder) bindExpr(e sqlparser.Expr, c *exprCtx) (expr.Expr, error) {
	b.exprDepth++
	defer func() { b.exprDepth-- }()
	if b.exprDepth > MaxExprDepth {
		return nil, sqlerr.At(b.clauseFrom, sqlerr.ErrNotSupported, "expression nesting deeper than %d", MaxExprDepth)
	}
	x, err := b.bindNode(e, c)
	if err == nil && b.treeSize(x) > MaxExprNodes {
		return nil, sqlerr.At(b.clauseFrom, sqlerr.ErrNotSupported, "expression larger than %d nodes once expanded", MaxExprNodes)
	}
	return x, err
}

// treeSize counts the nodes of e as a tree (a subtree shared by two parents
// counts twice), saturating just above MaxExprNodes. Sizes are memoized per
// node, so checking every level of a deep expression stays linear.
func (b *binder) treeSize(e expr.Expr) int {
	if n, ok := b.sizes[e]; ok {
		return n
	}
	n := 1
	for _, c := range e.Children() {
		n = min(n+b.treeSize(c), MaxExprNodes+1)
	}
	if b.sizes == nil {
		b.sizes = map[expr.Expr]int{}
	}
	b.sizes[e] = n
	return n
}

// bindNode binds one expression node (bindExpr checks the limits).
func (b *binder) bindNode(e sqlparser.Expr, c *exprCtx) (expr.Expr, error) {
	switch e := e.(type) {
	case *sqlparser.ColName:
		ref, err := b.resolve(c.sc, e.Qualifier.Name.String(), e.Name.String())
		if err == nil {
			return ref, nil
		}
		if c.aliases != nil && e.Qualifier.IsEmpty() && errors.Is(err, sqlerr.ErrUnknownColumn) {
			if it := findAlias(c.aliases, e.Name.String()); it != nil {
				return it.e, nil
			}
		}
		return nil, err
	case *sqlparser.SQLVal:
		return b.bindLiteral(e)
	case *sqlparser.NullVal:
		return &expr.Literal{T: types.NullType}, nil
	case sqlparser.BoolVal:
		return &expr.Literal{Value: expr.BoolDatum(bool(e)), T: types.BoolType}, nil
	case *sqlparser.ParenExpr:
		return b.bindExpr(e.Expr, c)
	case *sqlparser.AndExpr:
		return b.bindLogic(c, true, e.Left, e.Right)
	case *sqlparser.OrExpr:
		return b.bindLogic(c, false, e.Left, e.Right)
	case *sqlparser.NotExpr:
		x, err := b.bindBool(e.Expr, c)
		if err != nil {
			return nil, err
		}
		return &expr.Not{X: x}, nil
	case *sqlparser.ComparisonExpr:
		return b.bindComparison(e, c)
	case *sqlparser.RangeCond:
		return b.bindBetween(e, c)
	case *sqlparser.IsExpr:
		return b.bindIs(e, c)
	case *sqlparser.BinaryExpr:
		return b.bindBinary(e, c)
	case *sqlparser.UnaryExpr:
		return b.bindUnary(e, c)
	case *sqlparser.IntervalExpr:
		return b.bindInterval(e)
	case *sqlparser.FuncExpr:
		return b.bindFunc(e, c)
	case *sqlparser.CaseExpr:
		return b.bindCase(e, c)
	case *sqlparser.ConvertExpr:
		x, err := b.bindExpr(e.Expr, c)
		if err != nil {
			return nil, err
		}
		return b.cast(x, sqlparser.String(e.Type))
	case *sqlparser.SubstrExpr:
		return b.bindSubstr(e, c)
	case *sqlparser.Subquery:
		return b.scalarSubquery(e, c)
	case *sqlparser.ExistsExpr:
		return b.markSubquery(e.Subquery, nil, false, c)
	case *sqlparser.GroupConcatExpr:
		return nil, sqlerr.NotSupported("GROUP_CONCAT")
	case *sqlparser.ValTuple:
		return nil, sqlerr.NotSupported("row values %s", parse.Format(e))
	}
	return nil, sqlerr.NotSupported("expression %s", parse.Format(e))
}

func (b *binder) bindLiteral(v *sqlparser.SQLVal) (expr.Expr, error) {
	s := string(v.Val)
	switch v.Type {
	case sqlparser.StrVal:
		return &expr.Literal{Value: expr.StrDatum(s), T: types.StringType}, nil
	case sqlparser.IntVal:
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return &expr.Literal{Value: expr.IntDatum(n), T: types.Int64Type}, nil
		}
		fallthrough
	case sqlparser.FloatVal:
		if !strings.ContainsAny(s, "eE") {
			if d, t, err := types.ParseDecimal(s); err == nil {
				return &expr.Literal{Value: expr.DecDatum(d), T: t}, nil
			}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, b.errAt(s, sqlerr.ErrInvalidValue, "number %s out of range", s)
		}
		return &expr.Literal{Value: expr.FloatDatum(f), T: types.Float64Type}, nil
	case sqlparser.ValArg:
		return nil, sqlerr.NotSupported("query parameters (%s)", s)
	}
	return nil, sqlerr.NotSupported("literal %s", parse.Format(v))
}

// bindBool binds an expression that must be boolean.
func (b *binder) bindBool(e sqlparser.Expr, c *exprCtx) (expr.Expr, error) {
	x, err := b.bindExpr(e, c)
	if err != nil {
		return nil, err
	}
	switch x.Type().Kind {
	case types.Bool:
		return x, nil
	case types.Null:
		return &expr.Literal{T: types.BoolType}, nil
	}
	return nil, sqlerr.New(sqlerr.ErrType, "expected a boolean, got %s in %s", x.Type(), parse.Format(e))
}

func (b *binder) bindLogic(c *exprCtx, isAnd bool, l, r sqlparser.Expr) (expr.Expr, error) {
	// a OR b OR c ... arrives left-deep: collect the operands without
	// recursing, so that a long chain (generated SQL has thousands of
	// terms) binds to one n-ary node and does not count as deep nesting.
	operands := []sqlparser.Expr{r}
	for {
		if x, ok := l.(*sqlparser.AndExpr); ok && isAnd {
			operands, l = append(operands, x.Right), x.Left
			continue
		}
		if x, ok := l.(*sqlparser.OrExpr); ok && !isAnd {
			operands, l = append(operands, x.Right), x.Left
			continue
		}
		break
	}
	operands = append(operands, l)
	var args []expr.Expr
	for i := len(operands) - 1; i >= 0; i-- {
		x, err := b.bindBool(operands[i], c)
		if err != nil {
			return nil, err
		}
		// Flatten nested ANDs/ORs into one n-ary node.
		switch y := x.(type) {
		case *expr.And:
			if isAnd {
				args = append(args, y.Args...)
				continue
			}
		case *expr.Or:
			if !isAnd {
				args = append(args, y.Args...)
				continue
			}
		}
		args = append(args, x)
	}
	if isAnd {
		return &expr.And{Args: args}, nil
	}
	return &expr.Or{Args: args}, nil
}

var comparisonOps = map[string]expr.BinOp{
	sqlparser.EqualStr: expr.OpEq, sqlparser.NotEqualStr: expr.OpNe, sqlparser.LessThanStr: expr.OpLt,
	sqlparser.LessEqualStr: expr.OpLe, sqlparser.GreaterThanStr: expr.OpGt, sqlparser.GreaterEqualStr: expr.OpGe,
}

func (b *binder) bindComparison(e *sqlparser.ComparisonExpr, c *exprCtx) (expr.Expr, error) {
	switch e.Operator {
	case sqlparser.InStr, sqlparser.NotInStr:
		if q, ok := e.Right.(*sqlparser.Subquery); ok {
			left, err := b.bindExpr(e.Left, c)
			if err != nil {
				return nil, err
			}
			m, err := b.markSubquery(q, left, true, c)
			if err != nil || e.Operator == sqlparser.InStr {
				return m, err
			}
			return &expr.Not{X: m}, nil
		}
		return b.bindInList(e, c)
	case sqlparser.LikeStr, sqlparser.NotLikeStr:
		if v, ok := e.Escape.(*sqlparser.SQLVal); ok && v.Type == sqlparser.StrVal && string(v.Val) == parse.DistinctMarker {
			// the pre-lexer's IS [NOT] DISTINCT FROM
			return b.bindDistinctFrom(e.Left, e.Right, e.Operator == sqlparser.NotLikeStr, c)
		}
		var escape byte
		ilike := false
		if v, ok := e.Escape.(*sqlparser.SQLVal); ok && v.Type == sqlparser.StrVal && string(v.Val) == parse.IlikeMarker {
			ilike = true // the pre-lexer's ILIKE
		} else if e.Escape != nil {
			esc, err := b.bindExpr(e.Escape, c)
			if err != nil {
				return nil, err
			}
			lit, ok := esc.(*expr.Literal)
			if !ok || lit.T.Kind != types.String || len(lit.Value.S) != 1 {
				return nil, sqlerr.New(sqlerr.ErrInvalidValue, "ESCAPE must be a single character")
			}
			escape = lit.Value.S[0]
		}
		x, err := b.bindExpr(e.Left, c)
		if err != nil {
			return nil, err
		}
		p, err := b.bindExpr(e.Right, c)
		if err != nil {
			return nil, err
		}
		for _, operand := range []expr.Expr{x, p} {
			if !implicitCast(operand, types.StringType) {
				return nil, sqlerr.New(sqlerr.ErrType, "LIKE needs VARCHAR operands, got %s", operand.Type())
			}
		}
		if x, err = castTo(x, types.StringType); err != nil {
			return nil, err
		}
		if p, err = castTo(p, types.StringType); err != nil {
			return nil, err
		}
		if ilike { // case-insensitive: both sides lower-cased, as DuckDB does
			if x, err = b.call("lower", []expr.Expr{x}); err != nil {
				return nil, err
			}
			if lit, ok := p.(*expr.Literal); ok && lit.Value.Valid {
				// A constant pattern stays a constant, as LIKE wants it.
				p = &expr.Literal{Value: expr.StrDatum(strings.ToLower(lit.Value.S)), T: types.StringType}
			} else if p, err = b.call("lower", []expr.Expr{p}); err != nil {
				return nil, err
			}
		}
		return &expr.Like{X: x, Pattern: p, Negated: e.Operator == sqlparser.NotLikeStr, Escape: escape}, nil
	case sqlparser.NullSafeEqualStr: // MySQL's spelling of IS NOT DISTINCT FROM
		return b.bindDistinctFrom(e.Left, e.Right, false, c)
	case sqlparser.RegexpStr, sqlparser.NotRegexpStr:
		return nil, sqlerr.NotSupported("REGEXP")
	}
	op, ok := comparisonOps[e.Operator]
	if !ok {
		return nil, sqlerr.NotSupported("operator %s", e.Operator)
	}
	l, err := b.bindExpr(e.Left, c)
	if err != nil {
		return nil, err
	}
	r, err := b.bindExpr(e.Right, c)
	if err != nil {
		return nil, err
	}
	return b.comparison(op, l, r)
}

func (b *binder) bindInList(e *sqlparser.ComparisonExpr, c *exprCtx) (expr.Expr, error) {
	tuple, ok := e.Right.(sqlparser.ValTuple)
	if !ok {
		return nil, sqlerr.NotSupported("IN %s", parse.Format(e.Right))
	}
	x, err := b.bindExpr(e.Left, c)
	if err != nil {
		return nil, err
	}
	all := []expr.Expr{x}
	for _, item := range tuple {
		it, err := b.bindExpr(item, c)
		if err != nil {
			return nil, err
		}
		all = append(all, it)
	}
	all, _, err = unify(all, "IN list")
	if err != nil {
		return nil, err
	}
	negated := e.Operator == sqlparser.NotInStr
	constant := true
	for _, it := range all[1:] {
		constant = constant && isLiteral(it)
	}
	if constant {
		return &expr.InList{X: all[0], List: all[1:], Negated: negated}, nil
	}
	// Non-constant members: x = a OR x = b ...
	var ors []expr.Expr
	for _, it := range all[1:] {
		ors = append(ors, &expr.Binary{Op: expr.OpEq, L: all[0], R: it, T: types.BoolType})
	}
	var out expr.Expr = &expr.Or{Args: ors}
	if len(ors) == 1 {
		out = ors[0]
	}
	if negated {
		out = &expr.Not{X: out}
	}
	return out, nil
}

func (b *binder) bindBetween(e *sqlparser.RangeCond, c *exprCtx) (expr.Expr, error) {
	x, err := b.bindExpr(e.Left, c)
	if err != nil {
		return nil, err
	}
	lo, err := b.bindExpr(e.From, c)
	if err != nil {
		return nil, err
	}
	hi, err := b.bindExpr(e.To, c)
	if err != nil {
		return nil, err
	}
	if e.Operator == sqlparser.NotBetweenStr {
		l, err := b.comparison(expr.OpLt, x, lo)
		if err != nil {
			return nil, err
		}
		h, err := b.comparison(expr.OpGt, x, hi)
		if err != nil {
			return nil, err
		}
		return &expr.Or{Args: []expr.Expr{l, h}}, nil
	}
	l, err := b.comparison(expr.OpGe, x, lo)
	if err != nil {
		return nil, err
	}
	h, err := b.comparison(expr.OpLe, x, hi)
	if err != nil {
		return nil, err
	}
	return &expr.And{Args: []expr.Expr{l, h}}, nil
}

func (b *binder) bindIs(e *sqlparser.IsExpr, c *exprCtx) (expr.Expr, error) {
	x, err := b.bindExpr(e.Expr, c)
	if err != nil {
		return nil, err
	}
	switch e.Operator {
	case sqlparser.IsNullStr:
		return &expr.IsNull{X: x}, nil
	case sqlparser.IsNotNullStr:
		return &expr.IsNull{X: x, Negated: true}, nil
	}
	if x, err = castTo(x, types.BoolType); err != nil {
		return nil, err
	}
	isTrue := &expr.Binary{Op: expr.OpEq, L: x, R: &expr.Literal{Value: expr.BoolDatum(true), T: types.BoolType}, T: types.BoolType}
	isFalse := &expr.Binary{Op: expr.OpEq, L: x, R: &expr.Literal{Value: expr.BoolDatum(false), T: types.BoolType}, T: types.BoolType}
	notNull := &expr.IsNull{X: x, Negated: true}
	switch e.Operator {
	case sqlparser.IsTrueStr:
		return &expr.And{Args: []expr.Expr{notNull, isTrue}}, nil
	case sqlparser.IsFalseStr:
		return &expr.And{Args: []expr.Expr{notNull, isFalse}}, nil
	case sqlparser.IsNotTrueStr:
		return &expr.Not{X: &expr.And{Args: []expr.Expr{notNull, isTrue}}}, nil
	case sqlparser.IsNotFalseStr:
		return &expr.Not{X: &expr.And{Args: []expr.Expr{notNull, isFalse}}}, nil
	}
	return nil, sqlerr.NotSupported("IS %s", e.Operator)
}

var arithOps = map[string]expr.BinOp{
	sqlparser.PlusStr: expr.OpAdd, sqlparser.MinusStr: expr.OpSub, sqlparser.MultStr: expr.OpMul,
	sqlparser.DivStr: expr.OpDiv, sqlparser.IntDivStr: expr.OpIntDiv, sqlparser.ModStr: expr.OpMod,
}

func (b *binder) bindBinary(e *sqlparser.BinaryExpr, c *exprCtx) (expr.Expr, error) {
	l, err := b.bindExpr(e.Left, c)
	if err != nil {
		return nil, err
	}
	r, err := b.bindExpr(e.Right, c)
	if err != nil {
		return nil, err
	}
	if e.Operator == sqlparser.BitOrStr { // the pre-lexer's rewrite of ||
		if l.Type().IsNumeric() && r.Type().IsNumeric() {
			return nil, sqlerr.NotSupported("bitwise |")
		}
		return b.concat(l, r)
	}
	if e.Operator == sqlparser.BitXorStr { // ^ (and ** before the pre-lexer) is DuckDB's power
		return b.call("power", []expr.Expr{l, r})
	}
	op, ok := arithOps[e.Operator]
	if !ok {
		return nil, sqlerr.NotSupported("operator %s", e.Operator)
	}
	return b.arithmetic(op, l, r)
}

// concat is the || operator: NULL if either side is NULL.
func (b *binder) concat(l, r expr.Expr) (expr.Expr, error) {
	return b.call("||", []expr.Expr{l, r})
}

func (b *binder) bindUnary(e *sqlparser.UnaryExpr, c *exprCtx) (expr.Expr, error) {
	x, err := b.bindExpr(e.Expr, c)
	if err != nil {
		return nil, err
	}
	switch e.Operator {
	case sqlparser.UPlusStr:
		return x, nil
	case sqlparser.UMinusStr:
		if lit, ok := x.(*expr.Literal); ok && lit.Value.Valid {
			switch lit.T.Kind {
			case types.Int64:
				if lit.Value.I != -lit.Value.I || lit.Value.I == 0 {
					return &expr.Literal{Value: expr.IntDatum(-lit.Value.I), T: lit.T}, nil
				}
			case types.Float64:
				return &expr.Literal{Value: expr.FloatDatum(-lit.Value.F), T: lit.T}, nil
			case types.Decimal:
				return &expr.Literal{Value: expr.DecDatum(types.NegInt128(lit.Value.D)), T: lit.T}, nil
			}
		}
		if x.Type().Kind == types.Interval {
			lit, ok := x.(*expr.Literal)
			if !ok {
				return nil, sqlerr.NotSupported("negating a non-constant interval")
			}
			return &expr.Literal{Value: expr.IntervalDatum(-lit.Value.Months, -lit.Value.Days, -lit.Value.Micros), T: lit.T}, nil
		}
		return b.call("negate", []expr.Expr{x})
	case sqlparser.BangStr:
		if x, err = castTo(x, types.BoolType); err != nil {
			return nil, err
		}
		return &expr.Not{X: x}, nil
	}
	return nil, sqlerr.NotSupported("unary operator %s", e.Operator)
}

// bindInterval binds INTERVAL n unit and INTERVAL 'n unit'.
func (b *binder) bindInterval(e *sqlparser.IntervalExpr) (expr.Expr, error) {
	unit := strings.ToLower(e.Unit)
	text := ""
	switch v := e.Expr.(type) {
	case *sqlparser.SQLVal:
		text = string(v.Val)
	case *sqlparser.UnaryExpr:
		if sv, ok := v.Expr.(*sqlparser.SQLVal); ok && v.Operator == sqlparser.UMinusStr {
			text = "-" + string(sv.Val)
		}
	}
	if text == "" {
		return nil, sqlerr.NotSupported("INTERVAL with a non-constant amount")
	}
	var parts []string // amount, unit, amount, unit, ...
	if unit == "" || unit == parse.IntervalTextUnit {
		parts = strings.Fields(text) // INTERVAL '1 day 2 hours'
	} else {
		parts = []string{text, unit}
	}
	if len(parts) == 0 || len(parts)%2 != 0 {
		return nil, sqlerr.New(sqlerr.ErrInvalidValue, "interval %q: expected amounts each followed by a unit", text)
	}
	var months, days int64
	var micros int64
	for k := 0; k < len(parts); k += 2 {
		n, err := strconv.Atoi(parts[k])
		if err != nil {
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "interval amount %q is not an integer", parts[k])
		}
		m, d, us, ok := intervalUnit(strings.ToLower(parts[k+1]))
		if !ok {
			return nil, sqlerr.NotSupported("INTERVAL unit %q", parts[k+1])
		}
		// Months and days are int32; an hour's microseconds times an
		// int32 amount stay within an int64.
		if n > 1<<31-1 || n < -(1<<31-1) {
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "interval amount %d is out of range", n)
		}
		months, days = months+int64(m*n), days+int64(d*n)
		micros += us * int64(n)
	}
	if months != int64(int32(months)) || days != int64(int32(days)) {
		return nil, sqlerr.New(sqlerr.ErrInvalidValue, "interval %q is out of range", text)
	}
	return &expr.Literal{Value: expr.IntervalDatum(int32(months), int32(days), micros), T: types.IntervalType}, nil
}

// intervalUnit returns what one unit of an INTERVAL adds: months, days
// or microseconds, with DuckDB's spellings of the units.
func intervalUnit(unit string) (months, days int, micros int64, ok bool) {
	switch unit {
	case "us", "microsecond", "microseconds":
		return 0, 0, 1, true
	case "ms", "millisecond", "milliseconds":
		return 0, 0, 1000, true
	case "s", "sec", "secs", "second", "seconds":
		return 0, 0, types.MicrosPerSecond, true
	case "m", "min", "mins", "minute", "minutes":
		return 0, 0, types.MicrosPerMinute, true
	case "h", "hr", "hrs", "hour", "hours":
		return 0, 0, types.MicrosPerHour, true
	case "d", "day", "days":
		return 0, 1, 0, true
	case "w", "week", "weeks":
		return 0, 7, 0, true
	case "mon", "mons", "month", "months":
		return 1, 0, 0, true
	case "quarter", "quarters":
		return 3, 0, 0, true
	case "y", "yr", "yrs", "year", "years":
		return 12, 0, 0, true
	}
	return 0, 0, 0, false
}

func (b *binder) cast(x expr.Expr, typeName string) (expr.Expr, error) {
	t, err := types.Parse(typeName)
	if err != nil {
		return nil, sqlerr.New(sqlerr.ErrType, "%v", err)
	}
	return castTo(x, t)
}

// tryCast is TRY_CAST(x AS type): NULL for a value that does not convert,
// and for every value when the types do not convert at all (DuckDB's).
func (b *binder) tryCast(x expr.Expr, typeName string) (expr.Expr, error) {
	t, err := types.Parse(typeName)
	if err != nil {
		return nil, sqlerr.New(sqlerr.ErrType, "%v", err)
	}
	from := x.Type()
	if from == t {
		return x, nil
	}
	if !expr.CanCast(from, t) {
		return &expr.Literal{T: t}, nil // as in DuckDB, no value converts
	}
	if lit, ok := x.(*expr.Literal); ok {
		d, err := expr.CastDatum(lit.Value, from, t)
		if err != nil {
			d = expr.Null
		}
		return &expr.Literal{Value: d, T: t}, nil
	}
	return &expr.Cast{X: x, To: t, Try: true}, nil
}

func (b *binder) bindSubstr(e *sqlparser.SubstrExpr, c *exprCtx) (expr.Expr, error) {
	var args []expr.Expr
	for _, a := range []sqlparser.Expr{e.Name, e.From, e.To} {
		if a == nil {
			continue
		}
		x, err := b.bindExpr(a, c)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	return b.call("substring", args)
}

func (b *binder) bindCase(e *sqlparser.CaseExpr, c *exprCtx) (expr.Expr, error) {
	var operand expr.Expr
	if e.Expr != nil {
		x, err := b.bindExpr(e.Expr, c)
		if err != nil {
			return nil, err
		}
		operand = x
	}
	var conds, thens []expr.Expr
	for _, w := range e.Whens {
		var cond expr.Expr
		var err error
		if operand != nil {
			v, err := b.bindExpr(w.Cond, c)
			if err != nil {
				return nil, err
			}
			cond, err = b.comparison(expr.OpEq, operand, v)
			if err != nil {
				return nil, err
			}
		} else if cond, err = b.bindBool(w.Cond, c); err != nil {
			return nil, err
		}
		then, err := b.bindExpr(w.Val, c)
		if err != nil {
			return nil, err
		}
		conds, thens = append(conds, cond), append(thens, then)
	}
	if e.Else != nil {
		els, err := b.bindExpr(e.Else, c)
		if err != nil {
			return nil, err
		}
		thens = append(thens, els)
	}
	thens, t, err := unify(thens, "CASE")
	if err != nil {
		return nil, err
	}
	out := &expr.Case{T: t}
	for i, cond := range conds {
		out.Whens = append(out.Whens, expr.When{Cond: cond, Then: thens[i]})
	}
	if e.Else != nil {
		out.Else = thens[len(thens)-1]
	}
	return out, nil
}

func (b *binder) bindFunc(e *sqlparser.FuncExpr, c *exprCtx) (expr.Expr, error) {
	name := strings.ToLower(e.Name.String())
	if !e.Qualifier.IsEmpty() {
		return nil, sqlerr.NotSupported("qualified function name %s", parse.Format(e))
	}
	if name == "__over" {
		return b.bindWindow(e, c)
	}
	if name == "__filter" { // an aggregate's FILTER clause, from the pre-lexer
		return b.bindFilter(e, c)
	}
	if _, order := splitAggOrder(e); order != nil || name == expr.SortKeyFunc {
		if _, ok := aggKinds[name]; !ok {
			return nil, b.errAt(e.Name.String(), sqlerr.ErrSyntax, "ORDER BY in the arguments of %s(), which is not an aggregate", name)
		}
	}
	if kind, ok := aggKinds[name]; ok {
		return b.bindAggregate(kind, e, c)
	}
	switch name {
	case "grouping", "grouping_id":
		return b.bindGrouping(e, c)
	case parse.GroupingSetsMarker, parse.RollupMarker, parse.CubeMarker, parse.SetMarker, "rollup", "cube":
		return nil, b.errAt(e.Name.String(), sqlerr.ErrSyntax, "GROUPING SETS, ROLLUP, CUBE and key lists are GROUP BY elements, not expressions")
	}
	if listAggs[name] {
		return nil, sqlerr.NotSupported("list results (%s)", name)
	}
	if e.Distinct {
		return nil, sqlerr.NotSupported("DISTINCT in %s()", name)
	}
	var args []expr.Expr
	for _, se := range e.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, sqlerr.NotSupported("%s in %s()", parse.Format(se), name)
		}
		x, err := b.bindExpr(ae.Expr, c)
		if err != nil {
			return nil, err
		}
		args = append(args, x)
	}
	switch name {
	case "__cast", "__try_cast": // the pre-lexer's CAST and TRY_CAST; a user may write them too
		if len(args) == 2 {
			if lit, ok := args[1].(*expr.Literal); ok && lit.T.Kind == types.String {
				if name == "__try_cast" {
					return b.tryCast(args[0], lit.Value.S)
				}
				return b.cast(args[0], lit.Value.S)
			}
		}
		return nil, b.errAt(e.Name.String(), sqlerr.ErrUnknownFunc, "%s", name)
	case "coalesce", "ifnull":
		return coalesce(args)
	case "nullif":
		if len(args) != 2 {
			return nil, sqlerr.New(sqlerr.ErrType, "nullif takes 2 arguments")
		}
		eq, err := b.comparison(expr.OpEq, args[0], args[1])
		if err != nil {
			return nil, err
		}
		return &expr.Case{Whens: []expr.When{{Cond: eq, Then: &expr.Literal{T: args[0].Type()}}}, Else: args[0], T: args[0].Type()}, nil
	case "if", "iif":
		if len(args) != 3 {
			return nil, sqlerr.New(sqlerr.ErrType, "%s takes 3 arguments", name)
		}
		cond, err := castTo(args[0], types.BoolType)
		if err != nil {
			return nil, err
		}
		vals, t, err := unify(args[1:], name)
		if err != nil {
			return nil, err
		}
		return &expr.Case{Whens: []expr.When{{Cond: cond, Then: vals[0]}}, Else: vals[1], T: t}, nil
	case "mod": // the % operator, as in DuckDB
		if len(args) != 2 {
			return nil, sqlerr.New(sqlerr.ErrType, "mod takes 2 arguments")
		}
		return b.arithmetic(expr.OpMod, args[0], args[1])
	case "current_date", "today", "current_timestamp", "now", "get_current_timestamp", "transaction_timestamp", "localtimestamp":
		return b.statementTime(name, args)
	case "current_time", "localtime":
		return nil, sqlerr.NotSupported("%s (there is no TIME type)", name)
	case "__substring": // the pre-lexer's SUBSTRING
		return b.call("substring", args)
	case "typeof":
		if len(args) != 1 {
			return nil, sqlerr.New(sqlerr.ErrType, "typeof takes 1 argument")
		}
		return &expr.Literal{Value: expr.StrDatum(args[0].Type().String()), T: types.StringType}, nil
	case "greatest", "least":
		return greatestLeast(b, name == "greatest", args)
	case "extract", "date_part", "datepart":
		// The epoch of a TIMESTAMP has a fraction: a DOUBLE, as in DuckDB.
		if len(args) != 2 {
			break // the registry says how many it takes
		}
		if lit, ok := args[0].(*expr.Literal); ok && lit.T.Kind == types.String &&
			strings.EqualFold(lit.Value.S, "epoch") && args[1].Type().Kind == types.Timestamp {
			return b.call("epoch", args[1:])
		}
	}
	if !expr.IsScalarFunc(name) {
		return nil, b.errAt(e.Name.String(), sqlerr.ErrUnknownFunc, "%s", name)
	}
	return b.call(name, args)
}

// coalesce is a CASE of IS NOT NULL tests.
func coalesce(args []expr.Expr) (expr.Expr, error) {
	if len(args) == 0 {
		return nil, sqlerr.New(sqlerr.ErrType, "coalesce needs arguments")
	}
	args, t, err := unify(args, "coalesce")
	if err != nil {
		return nil, err
	}
	out := &expr.Case{T: t, Else: args[len(args)-1]}
	for _, a := range args[:len(args)-1] {
		out.Whens = append(out.Whens, expr.When{Cond: &expr.IsNull{X: a, Negated: true}, Then: a})
	}
	if len(out.Whens) == 0 {
		return args[0], nil
	}
	return out, nil
}

// greatestLeast picks the largest (smallest) non-NULL argument.
func greatestLeast(b *binder, greatest bool, args []expr.Expr) (expr.Expr, error) {
	name := "least"
	if greatest {
		name = "greatest"
	}
	args, t, err := unify(args, name)
	if err != nil {
		return nil, err
	}
	if t.Kind == types.Null {
		return &expr.Literal{T: t}, nil
	}
	return b.call(name, args)
}
