package engine

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/planner/binder"
	"github.com/minisql/minisql/planner/optimizer"
	"github.com/minisql/minisql/planner/physical"
	"github.com/minisql/minisql/planner/plan"
)

func timeNow() time.Time { return time.Now() }

// explain answers EXPLAIN (the optimized logical plan and the operator
// tree) and EXPLAIN ANALYZE (the query run to completion, with every
// operator's figures).
func (s *Session) explain(ctx context.Context, q *binder.Query, settings Settings) (*Rows, error) {
	if !q.Analyze {
		text, err := s.explainText(q, settings)
		if err != nil {
			return nil, err
		}
		return s.textRows(ctx, text)
	}
	settings.CPUBounds = true // the figures below tell work from preemption
	rows, err := s.startQuery(ctx, &binder.Query{Plan: q.Plan, Names: q.Names}, settings, time.Now())
	if err != nil {
		return nil, err
	}
	for rows.Next() {
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	st := rows.Stats()
	var text strings.Builder
	text.WriteString(operators.FormatTree(rows.plan.Root, true))
	text.WriteString("Total: " + st.Elapsed.Round(time.Microsecond).String() + ", " +
		itoa64(st.Rows) + " rows, " + itoa64(st.Checks) + " cancellation checks, longest unchecked stretch " +
		st.MaxStretch.Round(time.Microsecond).String() + operators.OnCPUNote(st.MaxStretch, st.MaxOnCPU) + "\n")
	return s.textRows(ctx, text.String())
}

func indent(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = "  " + l
	}
	return strings.Join(lines, "\n") + "\n"
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// textRows returns a one-column result with one row per line of text.
func (s *Session) textRows(ctx context.Context, text string) (*Rows, error) {
	b := array.NewStringBuilder(s.eng.mem)
	defer b.Release()
	for _, l := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.Append(l)
	}
	return s.recordRows(ctx, []string{"plan"}, []arrow.Array{b.NewArray()})
}

// explainText is EXPLAIN's text: the optimized logical plan with its
// estimates, and the operator tree (built, not opened).
func (s *Session) explainText(q *binder.Query, settings Settings) (_ string, err error) {
	defer recoverPlanning(&err)
	node := optimizer.Optimize(q.Plan)
	var text strings.Builder
	text.WriteString("Logical plan (estimated rows):\n")
	est := optimizer.Estimates(node)
	text.WriteString(indent(plan.FormatWith(node, func(n plan.Node) string {
		return "~" + strconv.FormatFloat(math.Round(est(n)), 'f', -1, 64)
	})))
	p, err := physical.Build(node, physical.Options{BatchSize: settings.BatchSize, Mem: s.eng.mem, Threads: settings.Threads, MorselRows: settings.MorselRows})
	if err != nil {
		return "", err
	}
	defer p.Root.Close()
	text.WriteString("Physical plan:\n")
	text.WriteString(indent(operators.FormatTree(p.Root, false)))
	return text.String(), nil
}
