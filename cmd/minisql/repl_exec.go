package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/minisql/minisql/operators"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/sqlerr"
)

// errInterrupted is the cancellation cause of a query stopped by Ctrl-C.
var errInterrupted = errors.New("interrupted by Ctrl-C")

// interrupt arms Ctrl-C for one input: the first SIGINT cancels ctx and
// records when it came. Everything the input runs uses ctx, so one Ctrl-C
// stops the running statement and skips the ones after it.
type interrupt struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	at     atomic.Int64 // unix ns of the Ctrl-C; 0 until one comes
	done   chan struct{}
	wg     sync.WaitGroup
}

// watchInterrupts arms Ctrl-C. A signal left over from before (say, a
// Ctrl-C that came just after the previous query ended) is dropped first,
// so it cannot cancel this input.
func (r *repl) watchInterrupts() *interrupt {
	for drained := false; !drained; {
		select {
		case <-r.sigs:
		default:
			drained = true
		}
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	in := &interrupt{ctx: ctx, cancel: cancel, done: make(chan struct{})}
	in.wg.Add(1)
	go func() {
		defer in.wg.Done()
		select {
		case <-r.sigs:
			in.at.Store(time.Now().UnixNano())
			cancel(errInterrupted)
		case <-in.done:
		}
	}()
	return in
}

// stop disarms Ctrl-C and joins the watcher.
func (in *interrupt) stop() {
	close(in.done)
	in.wg.Wait()
	in.cancel(nil)
}

// signalled returns when Ctrl-C came, if it did.
func (in *interrupt) signalled() (time.Time, bool) {
	ns := in.at.Load()
	if ns == 0 {
		return time.Time{}, false
	}
	return time.Unix(0, ns), true
}

// runSQL runs the statements of text in order. An error is reported and
// the next statement runs; a Ctrl-C stops them all.
func (r *repl) runSQL(in *interrupt, text string) {
	pieces, err := engine.Statements(text)
	if err != nil {
		printError(r.stderr, text, err)
		return
	}
	for _, p := range pieces {
		if in.ctx.Err() != nil {
			return
		}
		r.runStatement(in, text, p)
	}
}

// runStatement runs one statement and prints its result, its error, or
// how promptly it stopped after Ctrl-C.
func (r *repl) runStatement(in *interrupt, script string, p parse.Piece) {
	start := time.Now()
	var rows *engine.Rows
	var bar *progressBar
	defer func() {
		// A panic must not leave the query running or the bar drawn.
		if v := recover(); v != nil {
			bar.stop()
			if rows != nil {
				closeAfterPanic(rows)
			}
			fmt.Fprintf(r.stderr, "Error: internal error: %v\n", v)
		}
	}()
	rows, err := r.sess.Query(in.ctx, p.Text)
	if err != nil {
		r.finish(in, start, time.Now(), nil, script, sqlerr.WithOffset(err, p.Offset), nil)
		return
	}
	if r.errTTY {
		bar = startProgress(r.stderr, rows, start, r.progressDelay, r.cols)
	}
	out := &gateWriter{ctx: in.ctx, w: r.results(), before: bar.stop}
	err = r.renderRows(in.ctx, rows, p.Text, out)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	// Close has joined every goroutine of the query and released its
	// memory: this is when the query has stopped.
	end := time.Now()
	bar.stop()
	if err != nil {
		err = sqlerr.WithOffset(err, p.Offset)
	}
	r.finish(in, start, end, rows, script, err, out)
}

// finish reports how a statement that ran from start to end ended: the
// cancellation figures after a Ctrl-C, else its error, else the timer.
func (r *repl) finish(in *interrupt, start, end time.Time, rows *engine.Rows, script string, err error, out *gateWriter) {
	if at, ok := in.signalled(); ok {
		if out != nil && !out.atLineStart() {
			fmt.Fprintln(r.stdout) // a row cut short: start a fresh line
		}
		var st *engine.QueryStats
		if rows != nil {
			s := rows.Stats()
			st = &s
		}
		r.clearEcho()
		fmt.Fprintln(r.stderr, cancelMessage(at.Sub(start), end.Sub(at), st))
		return
	}
	if err != nil {
		printError(r.stderr, script, err)
		return
	}
	if r.timer {
		fmt.Fprintf(r.stdout, "Run Time: %.3f s", end.Sub(start).Seconds())
		if rows != nil && rows.Stats().PeakMemory > 0 {
			fmt.Fprintf(r.stdout, ", peak memory %s", operators.FormatBytes(rows.Stats().PeakMemory))
		}
		fmt.Fprintln(r.stdout)
	}
}

// clearEcho erases the current line of the terminal before the message.
// liner keeps echo off between prompts, but a terminal it cannot drive
// (TERM=dumb) echoes the key as "^C" where the cursor is.
func (r *repl) clearEcho() {
	if r.errTTY {
		fmt.Fprint(r.stderr, "\r\x1b[K")
	}
}

// cancelMessage says how long the query ran before Ctrl-C and how soon
// after it everything had stopped: from the signal until Close returned,
// that is every goroutine joined and every buffer released.
func cancelMessage(ran, stopped time.Duration, st *engine.QueryStats) string {
	// A Ctrl-C during the last moments of printing can come after Close.
	stopped = max(stopped, 0)
	msg := fmt.Sprintf("Cancelled after %.3f s; stopped %s after Ctrl-C", ran.Seconds(), shortDuration(stopped))
	if st != nil {
		msg += fmt.Sprintf(" (%s, %s joined)", plural(int64(st.Operators), "operator"), plural(st.Workers, "worker"))
	}
	return msg
}

// shortDuration prints a short span in milliseconds, a long one in seconds.
func shortDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.3f s", d.Seconds())
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// closeAfterPanic closes rows after a panic, surviving a second one.
func closeAfterPanic(rows *engine.Rows) {
	defer func() { _ = recover() }()
	rows.Close()
}

// renderRows prints a statement's result in the current mode.
func (r *repl) renderRows(ctx context.Context, rows *engine.Rows, stmt string, out *gateWriter) error {
	schema := rows.Schema()
	if schema.NumFields() == 0 {
		for rows.Next() {
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if msg := rows.Message(); msg != "" {
			_, err := fmt.Fprintln(out, msg)
			return err
		}
		return nil
	}
	if isPlan(stmt, schema) {
		return printPlan(rows, out)
	}
	switch r.mode {
	case "csv", "json":
		return render(ctx, rows, r.mode, out, renderOptions{})
	case "markdown":
		return render(ctx, rows, "table", out, renderOptions{maxRows: r.maxRows, markdown: true})
	case "table":
		style := table.StyleDefault
		return render(ctx, rows, "table", out, renderOptions{maxRows: r.maxRows, style: &style})
	}
	style := table.StyleLight
	return render(ctx, rows, "table", out, renderOptions{maxRows: r.maxRows, style: &style})
}

// isPlan reports whether a result is EXPLAIN's: one text column "plan"
// from a statement that starts with EXPLAIN.
func isPlan(stmt string, schema *arrow.Schema) bool {
	fields := strings.Fields(stmt)
	return len(fields) > 0 && strings.EqualFold(fields[0], "explain") &&
		schema.NumFields() == 1 && schema.Field(0).Name == "plan" && schema.Field(0).Type.ID() == arrow.STRING
}

// printPlan prints EXPLAIN's lines as they are: they are already drawn.
func printPlan(rows *engine.Rows, out *gateWriter) error {
	var sb strings.Builder
	for rows.Next() {
		rec := rows.Record()
		col, ok := rec.Column(0).(*array.String)
		if !ok {
			return fmt.Errorf("plan column is %s, not text", rec.Column(0).DataType())
		}
		for i := 0; i < col.Len(); i++ {
			if col.IsValid(i) {
				sb.WriteString(col.Value(i))
			}
			sb.WriteByte('\n')
		}
		if _, err := out.Write([]byte(sb.String())); err != nil {
			return err
		}
		sb.Reset()
	}
	return rows.Err()
}
