package main

import (
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSummary(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name     string
		switched []time.Duration
		hidden   []time.Duration
		want     string
	}{
		{"nothing", nil, nil, "switched out never; paused unseen never"},
		{"both kinds", []time.Duration{4 * ms, 6 * ms}, []time.Duration{2 * ms},
			"switched out 2 times (0.2/s, 0.10% of the time), longest 6ms 4ms; paused unseen 1 times (0.1/s, 0.02% of the time), longest 2ms"},
		{"the longest five", nil, []time.Duration{1 * ms, 7 * ms, 3 * ms, 9 * ms, 2 * ms, 8 * ms},
			"switched out never; paused unseen 6 times (0.6/s, 0.30% of the time), longest 9ms 8ms 7ms 3ms 2ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var s stalls
			for _, g := range tc.switched {
				s.add(g, true)
			}
			for _, g := range tc.hidden {
				s.add(g, false)
			}
			require.Equal(t, tc.want, s.summary(10*time.Second))
		})
	}
}

// A short watch runs and returns without error; what it finds depends on
// the machine, so only its shape is checked.
func TestWatchRuns(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("getrusage(RUSAGE_THREAD) is Linux's")
	}
	s := watch(50*time.Millisecond, time.Millisecond)
	require.NoError(t, s.err)
	for _, g := range append(s.switched, s.hidden...) {
		require.GreaterOrEqual(t, g, time.Millisecond)
	}
}
