// Package expr is minisql's bound expression language and its vectorized
// evaluator. The binder produces Expr trees (typed, names resolved to
// column IDs); optimizer rules rewrite them; Compile turns one into an
// Evaluator over Arrow record batches, with kernels written as tight loops
// over Arrow buffers.
package expr

import (
	"fmt"
	"strings"

	"github.com/minisql/minisql/types"
)

// ColumnID identifies a column produced somewhere in a logical plan. IDs are
// unique within a query, so rules can move expressions between plan nodes
// without renaming.
type ColumnID int

// Expr is a bound, typed scalar expression.
type Expr interface {
	Type() types.T
	String() string
	// Children returns the direct sub-expressions.
	Children() []Expr
	// WithChildren returns a copy of the node with its children replaced
	// (same count and order as Children).
	WithChildren(ch []Expr) Expr
}

// ColumnRef reads a column. Index is the column's position in the input
// batch; the physical planner sets it (see Resolve), -1 until then.
type ColumnRef struct {
	ID    ColumnID
	Name  string
	T     types.T
	Index int
}

// Literal is a constant. Value holds a Datum of the literal's type.
type Literal struct {
	Value Datum
	T     types.T
}

// BinOp is a binary arithmetic or comparison operator.
type BinOp uint8

const (
	OpAdd BinOp = iota
	OpSub
	OpMul
	OpDiv    // '/': BIGINT/BIGINT gives DOUBLE, as in DuckDB
	OpIntDiv // DIV: integer division
	OpMod
	OpEq
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
)

var binOpText = [...]string{"+", "-", "*", "/", "DIV", "%", "=", "<>", "<", "<=", ">", ">="}

func (o BinOp) String() string { return binOpText[o] }

// IsComparison reports whether o is one of = <> < <= > >=.
func (o BinOp) IsComparison() bool { return o >= OpEq }

// Flip returns the operator with its operands swapped: a < b is b > a.
func (o BinOp) Flip() BinOp {
	switch o {
	case OpLt:
		return OpGt
	case OpLe:
		return OpGe
	case OpGt:
		return OpLt
	case OpGe:
		return OpLe
	}
	return o
}

// Negate returns the comparison that is true exactly when o is false
// (for non-NULL operands).
func (o BinOp) Negate() BinOp {
	switch o {
	case OpEq:
		return OpNe
	case OpNe:
		return OpEq
	case OpLt:
		return OpGe
	case OpLe:
		return OpGt
	case OpGt:
		return OpLe
	case OpGe:
		return OpLt
	}
	return o
}

// Binary applies an arithmetic or comparison operator. Both operands have
// been coerced by the binder: comparisons see equal types; decimal + and -
// see equal scales.
type Binary struct {
	Op   BinOp
	L, R Expr
	T    types.T
}

// And is a conjunction of two or more booleans with SQL three-valued logic.
type And struct{ Args []Expr }

// Or is a disjunction of two or more booleans.
type Or struct{ Args []Expr }

// Not negates a boolean (NULL stays NULL).
type Not struct{ X Expr }

// IsNull tests X IS NULL (or IS NOT NULL when Negated). Never NULL itself.
type IsNull struct {
	X       Expr
	Negated bool
}

// InList is X [NOT] IN (list of constants or expressions) with SQL NULL
// semantics: NULL if X is NULL, or if no element matches and one is NULL.
type InList struct {
	X       Expr
	List    []Expr
	Negated bool
}

// Like is X [NOT] LIKE Pattern with % and _ wildcards. Escape, when not
// zero, makes the next pattern character literal (LIKE ... ESCAPE '\');
// as in DuckDB there is no escape character by default.
type Like struct {
	X, Pattern Expr
	Negated    bool
	Escape     byte
}

// When is one WHEN ... THEN ... arm of a searched CASE.
type When struct{ Cond, Then Expr }

// Case is a searched CASE; the binder rewrites the simple form into it.
// Else is nil for a missing ELSE (NULL).
type Case struct {
	Whens []When
	Else  Expr
	T     types.T
}

// Cast converts X to type To; invalid values are errors, not NULLs.
type Cast struct {
	X  Expr
	To types.T
	// Try makes a value that does not convert NULL instead of an error
	// (TRY_CAST).
	Try bool
}

// Func is a call of a scalar function from the registry (see funcs.go).
type Func struct {
	Name string
	Args []Expr
	T    types.T
}

// Constructors check nothing: the binder has already typed everything.

func (e *ColumnRef) Type() types.T { return e.T }
func (e *Literal) Type() types.T   { return e.T }
func (e *Binary) Type() types.T    { return e.T }
func (e *And) Type() types.T       { return types.BoolType }
func (e *Or) Type() types.T        { return types.BoolType }
func (e *Not) Type() types.T       { return types.BoolType }
func (e *IsNull) Type() types.T    { return types.BoolType }
func (e *InList) Type() types.T    { return types.BoolType }
func (e *Like) Type() types.T      { return types.BoolType }
func (e *Case) Type() types.T      { return e.T }
func (e *Cast) Type() types.T      { return e.To }
func (e *Func) Type() types.T      { return e.T }

func (e *ColumnRef) Children() []Expr { return nil }
func (e *Literal) Children() []Expr   { return nil }
func (e *Binary) Children() []Expr    { return []Expr{e.L, e.R} }
func (e *And) Children() []Expr       { return e.Args }
func (e *Or) Children() []Expr        { return e.Args }
func (e *Not) Children() []Expr       { return []Expr{e.X} }
func (e *IsNull) Children() []Expr    { return []Expr{e.X} }
func (e *InList) Children() []Expr    { return append([]Expr{e.X}, e.List...) }
func (e *Like) Children() []Expr      { return []Expr{e.X, e.Pattern} }
func (e *Cast) Children() []Expr      { return []Expr{e.X} }
func (e *Func) Children() []Expr      { return e.Args }
func (e *Case) Children() []Expr {
	ch := make([]Expr, 0, 2*len(e.Whens)+1)
	for _, w := range e.Whens {
		ch = append(ch, w.Cond, w.Then)
	}
	if e.Else != nil {
		ch = append(ch, e.Else)
	}
	return ch
}

func (e *ColumnRef) WithChildren([]Expr) Expr { c := *e; return &c }
func (e *Literal) WithChildren([]Expr) Expr   { c := *e; return &c }
func (e *Binary) WithChildren(ch []Expr) Expr {
	return &Binary{Op: e.Op, L: ch[0], R: ch[1], T: e.T}
}
func (e *And) WithChildren(ch []Expr) Expr { return &And{Args: ch} }
func (e *Or) WithChildren(ch []Expr) Expr  { return &Or{Args: ch} }
func (e *Not) WithChildren(ch []Expr) Expr { return &Not{X: ch[0]} }
func (e *IsNull) WithChildren(ch []Expr) Expr {
	return &IsNull{X: ch[0], Negated: e.Negated}
}
func (e *InList) WithChildren(ch []Expr) Expr {
	return &InList{X: ch[0], List: ch[1:], Negated: e.Negated}
}
func (e *Like) WithChildren(ch []Expr) Expr {
	return &Like{X: ch[0], Pattern: ch[1], Negated: e.Negated, Escape: e.Escape}
}
func (e *Cast) WithChildren(ch []Expr) Expr { return &Cast{X: ch[0], To: e.To, Try: e.Try} }
func (e *Func) WithChildren(ch []Expr) Expr {
	return &Func{Name: e.Name, Args: ch, T: e.T}
}
func (e *Case) WithChildren(ch []Expr) Expr {
	c := &Case{T: e.T, Whens: make([]When, len(e.Whens))}
	for i := range e.Whens {
		c.Whens[i] = When{Cond: ch[2*i], Then: ch[2*i+1]}
	}
	if e.Else != nil {
		c.Else = ch[len(ch)-1]
	}
	return c
}

func (e *ColumnRef) String() string { return e.Name }
func (e *Literal) String() string   { return e.Value.SQL(e.T) }
func (e *Binary) String() string {
	return fmt.Sprintf("(%s %s %s)", e.L, e.Op, e.R)
}
func (e *And) String() string { return joinExprs(e.Args, " AND ") }
func (e *Or) String() string  { return "(" + joinExprs(e.Args, " OR ") + ")" }
func (e *Not) String() string { return "NOT " + e.X.String() }
func (e *IsNull) String() string {
	if e.Negated {
		return e.X.String() + " IS NOT NULL"
	}
	return e.X.String() + " IS NULL"
}
func (e *InList) String() string {
	not := ""
	if e.Negated {
		not = "NOT "
	}
	return fmt.Sprintf("%s %sIN (%s)", e.X, not, joinExprs(e.List, ", "))
}
func (e *Like) String() string {
	not := ""
	if e.Negated {
		not = "NOT "
	}
	if e.Escape != 0 {
		return fmt.Sprintf("%s %sLIKE %s ESCAPE '%c'", e.X, not, e.Pattern, e.Escape)
	}
	return fmt.Sprintf("%s %sLIKE %s", e.X, not, e.Pattern)
}
func (e *Case) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for _, w := range e.Whens {
		fmt.Fprintf(&b, " WHEN %s THEN %s", w.Cond, w.Then)
	}
	if e.Else != nil {
		fmt.Fprintf(&b, " ELSE %s", e.Else)
	}
	b.WriteString(" END")
	return b.String()
}
func (e *Cast) String() string {
	if e.Try {
		return fmt.Sprintf("TRY_CAST(%s AS %s)", e.X, e.To)
	}
	return fmt.Sprintf("CAST(%s AS %s)", e.X, e.To)
}
func (e *Func) String() string {
	if e.Name == "||" && len(e.Args) == 2 {
		return fmt.Sprintf("(%s || %s)", e.Args[0], e.Args[1])
	}
	return fmt.Sprintf("%s(%s)", e.Name, joinExprs(e.Args, ", "))
}

func joinExprs(es []Expr, sep string) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.String()
	}
	return strings.Join(parts, sep)
}
