package main

import (
	"context"
	"errors"
	"io"
)

// errOutputStopped is what writing a result returns once Ctrl-C came.
var errOutputStopped = errors.New("output stopped by Ctrl-C")

// outputChunk bounds one write to the terminal, so that a long result
// stops within a few lines of a Ctrl-C rather than after all of it.
const outputChunk = 4 << 10

// gateWriter is the REPL's stdout for one statement. It stops the
// progress bar before the first byte of the result (the two share the
// terminal), and after Ctrl-C it prints nothing more: renderers write in
// batches, and the gate looks at the context before every chunk.
type gateWriter struct {
	ctx    context.Context
	w      io.Writer
	before func() // called once, before the first write
	wrote  bool
	last   byte // the last byte written, to know if a line was cut
}

func (g *gateWriter) Write(p []byte) (int, error) {
	if !g.wrote {
		g.wrote = true
		if g.before != nil {
			g.before()
		}
	}
	n := 0
	for n < len(p) {
		if g.ctx.Err() != nil {
			return n, errOutputStopped
		}
		end := min(n+outputChunk, len(p))
		m, err := g.w.Write(p[n:end])
		if m > 0 {
			g.last = p[n+m-1]
		}
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// atLineStart reports whether the output so far ends a line.
func (g *gateWriter) atLineStart() bool { return !g.wrote || g.last == '\n' || g.last == 0 }
