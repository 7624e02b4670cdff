package plan

import (
	"strings"

	"github.com/minisql/minisql/expr"
)

// GroupingSets is an Aggregate over several grouping sets (GROUP BY
// GROUPING SETS, ROLLUP, CUBE): for each set the input is grouped by that
// set's keys, the other keys are NULL in its rows, and the results of all
// sets are concatenated. Output: KeyCols, AggCols, then GroupingCols.
//
// It is one node, not a union of aggregates, so that the optimizer sees
// the whole construct: a filter may go below it only when it reads keys
// every set groups by (a key outside a set is NULL in that set's rows,
// and that set's aggregates are over all of its input rows).
type GroupingSets struct {
	Input   Node
	Keys    []expr.Expr
	KeyCols []Column
	// Sets are the grouping sets, each the ascending indexes of its keys
	// in Keys; a set may repeat (its rows then appear twice, as in
	// DuckDB and PostgreSQL).
	Sets    [][]int
	Aggs    []AggCall
	AggCols []Column
	// Groupings are the grouping() calls, each the indexes of its
	// arguments in Keys; its column holds the bit mask of the arguments
	// its row's set does not group, the first argument the most
	// significant bit.
	Groupings    [][]int
	GroupingCols []Column
}

// GroupingValue is the value of grouping() call g in the rows of set s.
func (n *GroupingSets) GroupingValue(g, s int) int64 {
	in := make(map[int]bool, len(n.Sets[s]))
	for _, k := range n.Sets[s] {
		in[k] = true
	}
	var v int64
	for _, k := range n.Groupings[g] {
		v <<= 1
		if !in[k] {
			v |= 1
		}
	}
	return v
}

// InEverySet returns the keys that every set groups by.
func (n *GroupingSets) InEverySet() map[int]bool {
	count := make([]int, len(n.Keys))
	for _, s := range n.Sets {
		for _, k := range s {
			count[k]++
		}
	}
	out := map[int]bool{}
	for k, c := range count {
		if c == len(n.Sets) {
			out[k] = true
		}
	}
	return out
}

func (n *GroupingSets) Columns() []Column {
	out := make([]Column, 0, len(n.KeyCols)+len(n.AggCols)+len(n.GroupingCols))
	out = append(out, n.KeyCols...)
	out = append(out, n.AggCols...)
	return append(out, n.GroupingCols...)
}

func (n *GroupingSets) Inputs() []Node { return []Node{n.Input} }

func (n *GroupingSets) WithInputs(in []Node) Node {
	c := *n
	c.Input = in[0]
	return &c
}

// Explain names the sets by their keys: GroupingSets ((a, b), (a), ()).
func (n *GroupingSets) Explain() string {
	sets := make([]string, len(n.Sets))
	for i, s := range n.Sets {
		keys := make([]string, len(s))
		for j, k := range s {
			keys[j] = n.Keys[k].String()
		}
		sets[i] = "(" + strings.Join(keys, ", ") + ")"
	}
	s := "GroupingSets " + strings.Join(sets, ", ")
	if len(n.Aggs) > 0 {
		aggs := make([]string, len(n.Aggs))
		for i, a := range n.Aggs {
			aggs[i] = a.String()
		}
		s += ": " + strings.Join(aggs, ", ")
	}
	for _, g := range n.Groupings {
		args := make([]string, len(g))
		for j, k := range g {
			args[j] = n.Keys[k].String()
		}
		s += "; grouping(" + strings.Join(args, ", ") + ")"
	}
	return s
}
