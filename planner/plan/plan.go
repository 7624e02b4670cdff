// Package plan holds minisql's logical plan: relational nodes whose
// columns are identified by query-unique IDs, so optimizer rules can move
// predicates and projections around without renaming anything.
package plan

import (
	"fmt"
	"strings"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/types"
)

// Column is one output column of a node.
type Column struct {
	ID    expr.ColumnID
	Name  string
	Table string // qualifier it can be referenced by ("" if none)
	Type  types.T
}

// Ref returns a reference to the column.
func (c Column) Ref() *expr.ColumnRef {
	return &expr.ColumnRef{ID: c.ID, Name: c.Name, T: c.Type, Index: -1}
}

// Node is a logical plan node.
type Node interface {
	// Columns are the node's output columns, in order.
	Columns() []Column
	// Inputs are the child nodes.
	Inputs() []Node
	// WithInputs returns a copy with the children replaced.
	WithInputs(in []Node) Node
	// Explain is a one-line description for EXPLAIN.
	Explain() string
}

// Scan reads a table. Cols lists every column of the table (by table column
// index); Projection lists which of them are read (nil: all) and Filters
// are conjuncts pushed into the scan for pruning (they are applied again
// by a Filter above).
type Scan struct {
	Table      catalog.Table
	Alias      string
	Cols       []Column
	Projection []int
	Filters    []expr.Expr
}

// Values is a constant relation: rows of literal expressions.
type Values struct {
	Cols []Column
	Rows [][]expr.Expr
}

// Filter keeps the rows for which Pred is true.
type Filter struct {
	Input Node
	Pred  expr.Expr
	// Output, when set, is the subset of the input's columns the filter
	// passes on: prune_columns drops those only the predicate reads, so
	// that the filter does not copy them.
	Output []Column
}

// Project computes Exprs; Cols[i] is the output of Exprs[i]. A column
// reference keeps its input's ID.
type Project struct {
	Input Node
	Exprs []expr.Expr
	Cols  []Column
}

// AggCall is one aggregate of an Aggregate node.
type AggCall struct {
	Kind     operators.AggKind
	Arg      expr.Expr // nil for COUNT(*)
	Arg2     expr.Expr // arg_max's and arg_min's key; nil for the others
	Distinct bool
	Sep      string // string_agg's separator
	// Frac is a quantile's fraction (median's is 0.5).
	Frac operators.QuantileFrac
	// KeepNulls makes an arg_min or arg_max count rows whose value is
	// NULL: first and last with an ORDER BY (binder/agg_order.go).
	KeepNulls bool
}

// FusedTerms returns the factors of a SUM the physical aggregate computes
// itself as it adds (operators.FusedProduct): a plain SUM of a DECIMAL
// product (expr.DecimalProduct). Nothing below the aggregate computes such
// an argument, nor a part of it.
func (a AggCall) FusedTerms() ([]expr.ProductTerm, bool) {
	if a.Kind != operators.AggSum || a.Distinct || a.Arg == nil || a.Arg2 != nil {
		return nil, false
	}
	return expr.DecimalProduct(a.Arg)
}

func (a AggCall) String() string {
	if a.Arg == nil {
		return "count(*)"
	}
	d := ""
	if a.Distinct {
		d = "DISTINCT "
	}
	if a.Kind == operators.AggStringAgg {
		order := ""
		if a.Arg2 != nil {
			order = fmt.Sprintf(" ORDER BY %s", a.Arg2)
		}
		return fmt.Sprintf("%s(%s%s, '%s'%s)", a.Kind, d, a.Arg, strings.ReplaceAll(a.Sep, "'", "''"), order)
	}
	if a.Kind == operators.AggQuantileCont || a.Kind == operators.AggQuantileDisc {
		return fmt.Sprintf("%s(%s%s, %s)", a.Kind, d, a.Arg, a.Frac)
	}
	if a.Arg2 != nil {
		return fmt.Sprintf("%s(%s%s, %s)", a.Kind, d, a.Arg, a.Arg2)
	}
	return fmt.Sprintf("%s(%s%s)", a.Kind, d, a.Arg)
}

// Aggregate groups by Keys and computes Aggs. Output: KeyCols then AggCols.
type Aggregate struct {
	Input   Node
	Keys    []expr.Expr
	KeyCols []Column
	Aggs    []AggCall
	AggCols []Column
}

// JoinKind is the kind of a join.
type JoinKind int

const (
	InnerJoin JoinKind = iota
	LeftJoin
	RightJoin
	SemiJoin // rows of Left with a match in Right
	AntiJoin // rows of Left without a match in Right
	// AntiJoinNullAware is NOT IN: like AntiJoin, but no row qualifies if
	// Right has a NULL key, and a NULL Left key qualifies only when Right
	// is empty.
	AntiJoinNullAware
	// SingleJoin is a LEFT join whose right side must produce at most one
	// row per left row (scalar subqueries).
	SingleJoin
	// MarkJoin outputs every Left row and a boolean column Mark: whether it
	// has a match (EXISTS used as a value).
	MarkJoin
	// MarkJoinNullAware is MarkJoin with IN's NULL rules: no match is NULL
	// rather than false when the left key is NULL or Right has a NULL key
	// (and Right is not empty).
	MarkJoinNullAware
	// FullJoin keeps every row of both inputs, NULL-extending the rows of
	// either side that match nothing. BuildLeft tells which input it
	// hashes (the right one by default).
	FullJoin
)

var joinNames = [...]string{"Inner", "Left", "Right", "Semi", "Anti", "NullAwareAnti", "Single", "Mark", "NullAwareMark", "Full"}

// IsMark reports whether k is a mark join.
func (k JoinKind) IsMark() bool { return k == MarkJoin || k == MarkJoinNullAware }

func (k JoinKind) String() string { return joinNames[k] }

// Join combines Left and Right. Equi holds equality conditions (Left key,
// Right key) that a hash join uses; Cond is the remaining condition (nil:
// true). Semi and anti joins output Left's columns only.
type Join struct {
	Kind        JoinKind
	Left, Right Node
	Equi        []EquiCond
	Cond        expr.Expr
	Mark        Column // the output column of a mark join
	// Output, when set, is the subset of Left ++ Right columns the join
	// emits (joins that emit pairs only): prune_columns sets it so that a
	// join copies only what its consumers read.
	Output []Column
	// BuildLeft makes a semi, anti, NOT IN, LEFT or FULL join hash its
	// left input and stream the right one through it (choose_build_sides
	// sets it when the left input is the smaller).
	BuildLeft bool
}

// EmitsPairs reports whether the join's rows are (left, right) pairs, as
// opposed to rows of Left alone (semi, anti and mark joins).
func (k JoinKind) EmitsPairs() bool {
	switch k {
	case InnerJoin, LeftJoin, RightJoin, SingleJoin, FullJoin:
		return true
	}
	return false
}

// EquiCond is one Left.key = Right.key condition.
type EquiCond struct{ L, R expr.Expr }

// SortItem is one ORDER BY key.
type SortItem struct {
	Expr       expr.Expr
	Desc       bool
	NullsFirst bool
}

// Sort orders its input.
type Sort struct {
	Input Node
	Keys  []SortItem
}

// Limit skips Offset rows and returns at most Count (Count < 0: all).
type Limit struct {
	Input         Node
	Offset, Count int64
}

// Union concatenates inputs with the same column types (UNION ALL); a
// UNION is a Union under a DISTINCT Aggregate.
type Union struct {
	Ins  []Node
	Cols []Column
}

// Max1Row passes at most one row and fails if its input has more: the
// guard of an uncorrelated scalar subquery.
type Max1Row struct{ Input Node }

func (n *Scan) Columns() []Column {
	if n.Projection == nil {
		return n.Cols
	}
	out := make([]Column, len(n.Projection))
	for i, p := range n.Projection {
		out[i] = n.Cols[p]
	}
	return out
}
func (n *Values) Columns() []Column { return n.Cols }
func (n *Filter) Columns() []Column {
	if n.Output != nil {
		return n.Output
	}
	return n.Input.Columns()
}
func (n *Project) Columns() []Column { return n.Cols }
func (n *Aggregate) Columns() []Column {
	return append(append([]Column{}, n.KeyCols...), n.AggCols...)
}
func (n *Join) Columns() []Column {
	switch n.Kind {
	case SemiJoin, AntiJoin, AntiJoinNullAware:
		return n.Left.Columns()
	case MarkJoin, MarkJoinNullAware:
		return append(append([]Column{}, n.Left.Columns()...), n.Mark)
	}
	if n.Output != nil {
		return n.Output
	}
	return append(append([]Column{}, n.Left.Columns()...), n.Right.Columns()...)
}
func (n *Sort) Columns() []Column    { return n.Input.Columns() }
func (n *Limit) Columns() []Column   { return n.Input.Columns() }
func (n *Union) Columns() []Column   { return n.Cols }
func (n *Max1Row) Columns() []Column { return n.Input.Columns() }

func (n *Scan) Inputs() []Node      { return nil }
func (n *Values) Inputs() []Node    { return nil }
func (n *Filter) Inputs() []Node    { return []Node{n.Input} }
func (n *Project) Inputs() []Node   { return []Node{n.Input} }
func (n *Aggregate) Inputs() []Node { return []Node{n.Input} }
func (n *Join) Inputs() []Node      { return []Node{n.Left, n.Right} }
func (n *Sort) Inputs() []Node      { return []Node{n.Input} }
func (n *Limit) Inputs() []Node     { return []Node{n.Input} }
func (n *Union) Inputs() []Node     { return n.Ins }
func (n *Max1Row) Inputs() []Node   { return []Node{n.Input} }

func (n *Scan) WithInputs([]Node) Node   { c := *n; return &c }
func (n *Values) WithInputs([]Node) Node { c := *n; return &c }
func (n *Filter) WithInputs(in []Node) Node {
	c := *n
	c.Input = in[0]
	return &c
}
func (n *Project) WithInputs(in []Node) Node {
	c := *n
	c.Input = in[0]
	return &c
}
func (n *Aggregate) WithInputs(in []Node) Node {
	c := *n
	c.Input = in[0]
	return &c
}
func (n *Join) WithInputs(in []Node) Node {
	c := *n
	c.Left, c.Right = in[0], in[1]
	return &c
}
func (n *Sort) WithInputs(in []Node) Node {
	c := *n
	c.Input = in[0]
	return &c
}
func (n *Limit) WithInputs(in []Node) Node {
	c := *n
	c.Input = in[0]
	return &c
}
func (n *Union) WithInputs(in []Node) Node {
	c := *n
	c.Ins = in
	return &c
}
func (n *Max1Row) WithInputs(in []Node) Node { return &Max1Row{Input: in[0]} }

func (n *Scan) Explain() string {
	s := "Scan " + n.Table.Name()
	if n.Alias != "" && n.Alias != n.Table.Name() {
		s += " AS " + n.Alias
	}
	if n.Projection != nil {
		names := make([]string, len(n.Projection))
		for i, p := range n.Projection {
			names[i] = n.Cols[p].Name
		}
		s += " [" + strings.Join(names, ", ") + "]"
	}
	if len(n.Filters) > 0 {
		s += " filters: " + joinExprs(n.Filters, " AND ")
	}
	return s
}
func (n *Values) Explain() string { return fmt.Sprintf("Values (%d rows)", len(n.Rows)) }
func (n *Filter) Explain() string { return "Filter " + n.Pred.String() }
func (n *Project) Explain() string {
	parts := make([]string, len(n.Exprs))
	for i, e := range n.Exprs {
		parts[i] = e.String()
		if ref, ok := e.(*expr.ColumnRef); !ok || ref.Name != n.Cols[i].Name {
			parts[i] += " AS " + n.Cols[i].Name
		}
	}
	return "Project " + strings.Join(parts, ", ")
}
func (n *Aggregate) Explain() string {
	aggs := make([]string, len(n.Aggs))
	for i, a := range n.Aggs {
		aggs[i] = a.String()
	}
	if len(n.Keys) == 0 {
		return "Aggregate " + strings.Join(aggs, ", ")
	}
	s := "Aggregate by " + joinExprs(n.Keys, ", ")
	if len(aggs) > 0 {
		s += ": " + strings.Join(aggs, ", ")
	}
	return s
}
func (n *Join) Explain() string {
	var conds []string
	for _, e := range n.Equi {
		conds = append(conds, fmt.Sprintf("%s = %s", e.L, e.R))
	}
	if n.Cond != nil {
		conds = append(conds, n.Cond.String())
	}
	s := n.Kind.String() + " Join"
	if len(conds) > 0 {
		s += " ON " + strings.Join(conds, " AND ")
	}
	if n.BuildLeft {
		s += " (build left)"
	}
	return s
}
func (n *Sort) Explain() string { return "Sort " + formatSortItems(n.Keys) }

// formatSortItems writes ORDER BY keys as EXPLAIN shows them.
func formatSortItems(items []SortItem) string {
	parts := make([]string, len(items))
	for i, k := range items {
		parts[i] = k.Expr.String()
		if k.Desc {
			parts[i] += " DESC"
		}
		if k.NullsFirst {
			parts[i] += " NULLS FIRST"
		}
	}
	return strings.Join(parts, ", ")
}
func (n *Limit) Explain() string {
	s := fmt.Sprintf("Limit %d", n.Count)
	if n.Offset > 0 {
		s += fmt.Sprintf(" OFFSET %d", n.Offset)
	}
	return s
}
func (n *Union) Explain() string   { return "Union All" }
func (n *Max1Row) Explain() string { return "Max1Row" }

func joinExprs(es []expr.Expr, sep string) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, sep)
}

// Format renders a plan as an indented tree.
func Format(n Node) string { return FormatWith(n, nil) }

// FormatWith renders a plan as an indented tree, appending note(node) to
// each line when note is given (EXPLAIN uses it for estimates).
func FormatWith(n Node, note func(Node) string) string {
	var b strings.Builder
	var walk func(Node, int)
	walk = func(n Node, depth int) {
		line := strings.Repeat("  ", depth) + n.Explain()
		if note != nil {
			line += "  " + note(n)
		}
		b.WriteString(line + "\n")
		for _, in := range n.Inputs() {
			walk(in, depth+1)
		}
	}
	walk(n, 0)
	return b.String()
}
