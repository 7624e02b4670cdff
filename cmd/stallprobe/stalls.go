package main

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// stalls is what one watching thread saw.
type stalls struct {
	switched []time.Duration // gaps with a guest context switch in them
	hidden   []time.Duration // gaps without one
	err      error
}

// add records a gap; switched tells whether the thread was switched out.
func (s *stalls) add(gap time.Duration, switched bool) {
	if switched {
		s.switched = append(s.switched, gap)
	} else {
		s.hidden = append(s.hidden, gap)
	}
}

// summary is one line: for each kind, how many gaps a second, their
// total share of the time, and the longest few.
func (s *stalls) summary(over time.Duration) string {
	return fmt.Sprintf("switched out %s; paused unseen %s", describe(s.switched, over), describe(s.hidden, over))
}

func describe(gaps []time.Duration, over time.Duration) string {
	if len(gaps) == 0 {
		return "never"
	}
	var total time.Duration
	for _, g := range gaps {
		total += g
	}
	top := slices.Clone(gaps)
	slices.SortFunc(top, func(a, b time.Duration) int { return int(b - a) })
	top = top[:min(len(top), 5)]
	parts := make([]string, len(top))
	for i, g := range top {
		parts[i] = g.Round(10 * time.Microsecond).String()
	}
	return fmt.Sprintf("%d times (%.1f/s, %.2f%% of the time), longest %s",
		len(gaps), float64(len(gaps))/over.Seconds(), 100*float64(total)/float64(over), strings.Join(parts, " "))
}
