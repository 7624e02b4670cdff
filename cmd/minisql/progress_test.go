package main

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestFormatProgress(t *testing.T) {
	tests := []struct {
		done, total int64
		elapsed     time.Duration
		cols        int
		want        string
	}{
		{done: 0, total: 1000, elapsed: time.Second, cols: 100,
			want: "[------------------------------]   0%  0/1.0K rows  0 rows/s  1.0 s"},
		{done: 3_000_000, total: 6_000_000, elapsed: 2 * time.Second, cols: 100,
			want: "[###############---------------]  50%  3.0M/6.0M rows  1.5M rows/s  2.0 s"},
		{done: 7_000, total: 6_000, elapsed: 1500 * time.Millisecond, cols: 100,
			want: "[##############################] 100%  7.0K/6.0K rows  4.7K rows/s  1.5 s"},
		// Unknown total: no bar, no share.
		{done: 42_000, total: 0, elapsed: 2 * time.Second, cols: 100, want: "42K rows  21K rows/s  2.0 s"},
		// A narrow terminal drops the bar, then cuts the line.
		{done: 500, total: 1000, elapsed: time.Second, cols: 40, want: " 50%  500/1.0K rows  500 rows/s  1.0 s"},
		{done: 500, total: 1000, elapsed: time.Second, cols: 20, want: " 50%  500/1.0K rows"},
	}
	for _, tt := range tests {
		got := formatProgress(tt.done, tt.total, tt.elapsed, tt.cols)
		assert.Equal(t, tt.want, got)
		assert.Less(t, utf8.RuneCountInString(got), tt.cols, "never as wide as the terminal")
	}
}

func TestHumanCount(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 999: "999", 1234: "1.2K", 56_789: "57K", 6_001_215: "6.0M", 2.5e9: "2.5G"} {
		assert.Equal(t, want, humanCount(v))
	}
}

// fixedProgress is a progressSource a test controls.
type fixedProgress struct{ done, total atomic.Int64 }

func (f *fixedProgress) Progress() (int64, int64) { return f.done.Load(), f.total.Load() }

// syncBuffer is a bytes.Buffer safe for the bar's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressBarAppearsLateAndIsErased(t *testing.T) {
	src := &fixedProgress{}
	src.total.Store(100)
	src.done.Store(40)
	cols := func() int { return 100 }

	// A query that ends before the delay draws nothing at all.
	var quick syncBuffer
	p := startProgress(&quick, src, time.Now(), time.Hour, cols)
	p.stop()
	p.stop() // idempotent
	assert.Empty(t, quick.String())

	var slow syncBuffer
	p = startProgress(&slow, src, time.Now(), 10*time.Millisecond, cols)
	assert.Eventually(t, func() bool { return strings.Contains(slow.String(), "40%") }, 10*time.Second, 5*time.Millisecond)
	p.stop()
	out := slow.String()
	assert.True(t, strings.HasSuffix(out, "\r\x1b[K"), "the bar is erased: %q", out)
	n := len(out)
	time.Sleep(3 * progressInterval)
	assert.Len(t, slow.String(), n, "nothing is drawn after stop")

	var nilBar *progressBar
	nilBar.stop() // no terminal, no bar: stopping is still safe
}
