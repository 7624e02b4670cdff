package operators

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// stretchOf runs work between two checks of a fresh task and returns the
// task's figures.
func stretchOf(t *testing.T, work func()) TaskStats {
	t.Helper()
	task := NewTask(context.Background(), nil)
	require.NoError(t, task.Check())
	task.lastYield = time.Now() // no yield at the second check
	work()
	require.NoError(t, task.Check())
	st := task.Stats()
	require.LessOrEqual(t, st.MaxOnCPU, st.MaxStretch, "the bound never exceeds the wall time")
	return st
}

func spin(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

func TestOnCPUCountsWorkAndWaits(t *testing.T) {
	if _, ok := readThread(); !ok {
		t.Skip("no per-thread clocks on this platform")
	}
	const d = 5 * time.Millisecond
	tests := []struct {
		name string
		work func()
	}{
		// Work is work, however long the thread ran.
		{"busy", func() { spin(d) }},
		// An unchecked wait is as bad as unchecked work: a thread that
		// sleeps falls back to the wall time.
		{"sleeping", func() { time.Sleep(d) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := stretchOf(t, tt.work)
			require.GreaterOrEqual(t, st.MaxStretch, d)
			if tt.name == "sleeping" {
				require.Equal(t, st.MaxStretch, st.MaxOnCPU)
				return
			}
			// Spinning is time on the CPU, less what the machine took.
			require.Greater(t, st.MaxOnCPU, d/4)
		})
	}
}

func TestOnCPUShortStretchesAreTheirWallTime(t *testing.T) {
	st := stretchOf(t, func() { spin(50 * time.Microsecond) })
	require.Equal(t, st.MaxStretch, st.MaxOnCPU)
}
