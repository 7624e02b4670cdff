package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingWriter records the size of each write and cancels a context
// after the first one, as a Ctrl-C in the middle of a long result would.
type countingWriter struct {
	bytes.Buffer
	writes []int
	cancel context.CancelFunc
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.writes = append(c.writes, len(p))
	if c.cancel != nil {
		c.cancel()
	}
	return c.Buffer.Write(p)
}

func TestGateWriterStopsAfterCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := &countingWriter{cancel: cancel}
	before := 0
	g := &gateWriter{ctx: ctx, w: w, before: func() { before++ }}

	big := strings.Repeat("0123456789abcde\n", 3*outputChunk/16)
	n, err := g.Write([]byte(big))
	require.ErrorIs(t, err, errOutputStopped)
	assert.Equal(t, outputChunk, n, "one chunk, then the cancel is seen")
	assert.Equal(t, []int{outputChunk}, w.writes)
	_, err = g.Write([]byte("more\n"))
	require.ErrorIs(t, err, errOutputStopped)
	assert.Equal(t, outputChunk, w.Len(), "nothing at all after the cancel")
	assert.Equal(t, 1, before, "the progress bar is stopped once, before the first byte")
	assert.True(t, g.atLineStart())
}

func TestGateWriterLineStart(t *testing.T) {
	var buf bytes.Buffer
	g := &gateWriter{ctx: context.Background(), w: &buf}
	assert.True(t, g.atLineStart(), "nothing written yet")
	_, err := g.Write([]byte("a,b"))
	require.NoError(t, err)
	assert.False(t, g.atLineStart(), "a row cut short needs a newline before the message")
	_, err = g.Write([]byte("\n"))
	require.NoError(t, err)
	assert.True(t, g.atLineStart())
}
