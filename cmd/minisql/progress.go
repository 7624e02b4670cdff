package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// progressInterval is how often the bar is redrawn.
const progressInterval = 150 * time.Millisecond

// progressSource is what the bar reads: Rows.Progress, safe to call from
// another goroutine while the query runs.
type progressSource interface {
	Progress() (done, total int64)
}

// progressBar draws a one-line progress bar on a terminal from a goroutine
// of its own, and erases it when stopped. The bar and the result share the
// terminal, so the result's writer stops the bar before printing.
type progressBar struct {
	quit chan struct{}
	done chan struct{}
	once sync.Once
}

// startProgress starts a bar that appears once the query has run for
// delay (fast queries never show one) and reads src every interval.
func startProgress(w io.Writer, src progressSource, start time.Time, delay time.Duration, cols func() int) *progressBar {
	p := &progressBar{quit: make(chan struct{}), done: make(chan struct{})}
	go p.run(w, src, start, delay, cols)
	return p
}

func (p *progressBar) run(w io.Writer, src progressSource, start time.Time, delay time.Duration, cols func() int) {
	defer close(p.done)
	wait := time.NewTimer(max(delay-time.Since(start), 0))
	defer wait.Stop()
	select {
	case <-p.quit:
		return
	case <-wait.C:
	}
	tick := time.NewTicker(progressInterval)
	defer tick.Stop()
	for {
		done, total := src.Progress()
		io.WriteString(w, "\r"+formatProgress(done, total, time.Since(start), cols())+"\x1b[K")
		select {
		case <-p.quit:
			io.WriteString(w, "\r\x1b[K")
			return
		case <-tick.C:
		}
	}
}

// stop erases the bar and returns once its goroutine has exited. It is
// idempotent, and a no-op on a nil bar (no terminal, no bar).
func (p *progressBar) stop() {
	if p == nil {
		return
	}
	p.once.Do(func() { close(p.quit) })
	<-p.done
}

// formatProgress renders one line no wider than cols-1 (the last column
// would wrap on some terminals): a bar and the share of input rows
// scanned when the total is known, rows scanned, rows/s and elapsed time.
func formatProgress(done, total int64, elapsed time.Duration, cols int) string {
	secs := elapsed.Seconds()
	rate := 0.0
	if secs > 0 {
		rate = float64(done) / secs
	}
	tail := fmt.Sprintf("%s rows  %s rows/s  %.1f s", humanCount(float64(done)), humanCount(rate), secs)
	line := tail
	if total > 0 {
		frac := min(float64(done)/float64(total), 1)
		tail = fmt.Sprintf("%3.0f%%  %s/%s rows  %s rows/s  %.1f s", frac*100,
			humanCount(float64(done)), humanCount(float64(total)), humanCount(rate), secs)
		line = tail
		if width := min(30, cols-1-utf8.RuneCountInString(tail)-3); width >= 5 {
			filled := int(frac * float64(width))
			line = "[" + strings.Repeat("#", filled) + strings.Repeat("-", width-filled) + "] " + tail
		}
	}
	if limit := cols - 1; limit > 0 && utf8.RuneCountInString(line) > limit {
		line = string([]rune(line)[:limit])
	}
	return line
}

// humanCount prints a count with a K/M/G suffix.
func humanCount(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.1fG", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e4:
		return fmt.Sprintf("%.0fK", v/1e3)
	case v >= 1e3:
		return fmt.Sprintf("%.1fK", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}
