package plan

import (
	"strings"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/operators"
)

// WindowFunc names a window function.
type WindowFunc string

// The window functions. The aggregates take the default frame: with an
// ORDER BY, the rows from the partition's start to the current row's last
// peer; without, the whole partition.
const (
	WinRowNumber  WindowFunc = "row_number"
	WinRank       WindowFunc = "rank"
	WinDenseRank  WindowFunc = "dense_rank"
	WinCountStar  WindowFunc = "count_star"
	WinCount      WindowFunc = "count"
	WinSum        WindowFunc = "sum"
	WinAvg        WindowFunc = "avg"
	WinMin        WindowFunc = "min"
	WinMax        WindowFunc = "max"
	WinLag        WindowFunc = "lag"
	WinLead       WindowFunc = "lead"
	WinFirstValue WindowFunc = "first_value"
	WinLastValue  WindowFunc = "last_value"
	WinNthValue   WindowFunc = "nth_value" // Offset: the position in the frame
	WinNtile      WindowFunc = "ntile"     // Offset: the number of buckets
	WinPctRank    WindowFunc = "percent_rank"
	WinCumeDist   WindowFunc = "cume_dist"
)

// WindowCall is one window function call of a Window node.
type WindowCall struct {
	Func WindowFunc
	// Args are the call's arguments; lag and lead's offset is in Offset,
	// their default in Args[1] when given.
	Args   []expr.Expr
	Offset int64
	Col    Column
	// Frame is the call's frame; nil for the default one and for the
	// functions that ignore frames (ranking, lag and lead).
	Frame *Frame
	// Frac is quantile_cont's and quantile_disc's fraction.
	Frac operators.QuantileFrac
	// Distinct: the aggregate of the partition's distinct values.
	Distinct bool
}

// Window computes window functions that share one window specification:
// its output is its input's columns followed by one column per call.
type Window struct {
	Input     Node
	Partition []expr.Expr
	Order     []SortItem
	Calls     []WindowCall
}

func (n *Window) Columns() []Column {
	cols := append([]Column(nil), n.Input.Columns()...)
	for _, c := range n.Calls {
		cols = append(cols, c.Col)
	}
	return cols
}

func (n *Window) Inputs() []Node { return []Node{n.Input} }

func (n *Window) WithInputs(in []Node) Node {
	c := *n
	c.Input = in[0]
	return &c
}

func (n *Window) Explain() string {
	var b strings.Builder
	b.WriteString("Window")
	for i, c := range n.Calls {
		if i > 0 {
			b.WriteByte(',')
		}
		d := ""
		if c.Distinct {
			d = "DISTINCT "
		}
		b.WriteString(" " + string(c.Func) + "(" + d + joinExprs(c.Args, ", ") + ")")
		if c.Frame != nil {
			b.WriteString(" " + c.Frame.String())
		}
	}
	b.WriteString(" OVER (")
	if len(n.Partition) > 0 {
		b.WriteString("PARTITION BY " + joinExprs(n.Partition, ", "))
	}
	if len(n.Order) > 0 {
		if len(n.Partition) > 0 {
			b.WriteByte(' ')
		}
		b.WriteString("ORDER BY " + formatSortItems(n.Order))
	}
	b.WriteByte(')')
	return b.String()
}
