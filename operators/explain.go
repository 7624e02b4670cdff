package operators

import (
	"fmt"
	"strings"
	"time"
)

// FormatTree renders an operator tree, one operator per line, with box
// drawing for the structure; withMetrics adds each operator's figures
// (EXPLAIN ANALYZE).
func FormatTree(root Operator, withMetrics bool) string {
	var b strings.Builder
	var walk func(op Operator, prefix string, last, top bool)
	walk = func(op Operator, prefix string, last, top bool) {
		d := Description{Name: fmt.Sprintf("%T", op)}
		if ds, ok := op.(Describer); ok {
			d = ds.Describe()
		}
		line := d.Name
		if d.Detail != "" {
			line += " " + d.Detail
		}
		branch, childPrefix := "", ""
		if !top {
			branch, childPrefix = "├─ ", "│  "
			if last {
				branch, childPrefix = "└─ ", "   "
			}
		}
		b.WriteString(prefix + branch + line)
		if w, ok := op.(*Instrumented); ok && withMetrics {
			m := w.Metrics
			fmt.Fprintf(&b, "  [rows=%d batches=%d time=%s checks=%d max_unchecked=%s%s]",
				m.Rows, m.Batches, fmtDur(m.Elapsed), m.Checks, fmtDur(m.MaxStretch), OnCPUNote(m.MaxStretch, m.MaxOnCPU))
		}
		b.WriteByte('\n')
		for i, c := range d.Children {
			walk(c, prefix+childPrefix, i == len(d.Children)-1, false)
		}
	}
	walk(root, "", true, true)
	return b.String()
}

func fmtDur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%dµs", d.Microseconds())
}

// OnCPUNote is what EXPLAIN ANALYZE adds to a stretch of a millisecond or
// more that the thread did not spend all on the CPU: whether the
// operator worked that long or was preempted.
func OnCPUNote(stretch, onCPU time.Duration) string {
	if stretch < time.Millisecond || onCPU >= stretch {
		return ""
	}
	return " (" + fmtDur(onCPU) + " on cpu)"
}
