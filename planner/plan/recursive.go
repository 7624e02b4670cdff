package plan

import (
	"fmt"
	"strings"
)

// RecursiveCTE is WITH RECURSIVE name AS (Base UNION [ALL] Recursive):
// Base runs once; then Recursive runs again and again, each time over the
// rows the previous run produced (its WorkTableScans of WorkTable read
// them), until a run produces none. The output is every run's rows.
// Distinct (UNION) drops rows equal to a row already produced.
//
// Base and Recursive produce exactly Cols' types, in order (the binder
// casts them). Their column IDs differ from Cols': no rule may move a
// filter or prune a column across the node, since the working table's
// columns are fixed by its consumers inside Recursive.
type RecursiveCTE struct {
	Name      string
	Base      Node
	Recursive Node
	Cols      []Column
	WorkTable int
	Distinct  bool
	// CTE is the same for every binding of one CTE of the statement (a
	// CTE named twice is bound twice): they compute the same rows, so the
	// physical planner runs them once.
	CTE int
}

// WorkTableScan reads the working table of the RecursiveCTE whose
// WorkTable it names: the previous iteration's rows. Each reference in
// the recursive term is a scan of its own, with its own column IDs.
type WorkTableScan struct {
	Name      string
	WorkTable int
	Cols      []Column
}

func (n *RecursiveCTE) Columns() []Column { return n.Cols }
func (n *RecursiveCTE) Inputs() []Node    { return []Node{n.Base, n.Recursive} }
func (n *RecursiveCTE) WithInputs(in []Node) Node {
	c := *n
	c.Base, c.Recursive = in[0], in[1]
	return &c
}

func (n *RecursiveCTE) Explain() string {
	op := "UNION ALL"
	if n.Distinct {
		op = "UNION"
	}
	return fmt.Sprintf("RecursiveCTE %s [%s] %s, work table #%d", n.Name, columnNames(n.Cols), op, n.WorkTable)
}

func (n *WorkTableScan) Columns() []Column      { return n.Cols }
func (n *WorkTableScan) Inputs() []Node         { return nil }
func (n *WorkTableScan) WithInputs([]Node) Node { c := *n; return &c }
func (n *WorkTableScan) Explain() string {
	return fmt.Sprintf("WorkTableScan %s [%s] #%d", n.Name, columnNames(n.Cols), n.WorkTable)
}

func columnNames(cols []Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Ref().String()
	}
	return strings.Join(names, ", ")
}
