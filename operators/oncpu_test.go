package operators

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// stretchOf runs work between two checks of a fresh task and returns the
// task's figures.
func stretchOf(t *testing.T, work func()) TaskStats {
	t.Helper()
	task := NewTask(context.Background(), nil, WithCPUBounds())
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

// spinCPU works until the thread has had d of CPU time (the caller keeps
// the goroutine on its thread).
func spinCPU(d time.Duration) {
	start, _ := readThread()
	for {
		now, _ := readThread()
		if now.cpu-start.cpu >= d {
			return
		}
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
		// Work is work: d of the thread's CPU time, however long it took
		// on a loaded machine.
		{"busy", func() { spinCPU(d) }},
		// An unchecked wait is as bad as unchecked work: a thread that
		// sleeps falls back to the wall time.
		{"sleeping", func() { time.Sleep(d) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runtime.LockOSThread() // one thread's clocks throughout
			defer runtime.UnlockOSThread()
			st := stretchOf(t, tt.work)
			require.GreaterOrEqual(t, st.MaxStretch, d)
			if tt.name == "sleeping" {
				require.Equal(t, st.MaxStretch, st.MaxOnCPU)
				return
			}
			require.GreaterOrEqual(t, st.MaxOnCPU, d)
		})
	}
}

func TestOnCPUShortStretchesAreTheirWallTime(t *testing.T) {
	// Below boundFrom no clock is read: the wall time is close enough.
	task := NewTask(context.Background(), nil, WithCPUBounds())
	for _, d := range []time.Duration{0, time.Microsecond, boundFrom - 1} {
		require.Equal(t, d, task.onCPU(d))
	}
}

// Without WithCPUBounds a task reads no thread clocks: every stretch's
// bound is its wall time, however busy the thread was.
func TestOnCPUOnlyWithBounds(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	task := NewTask(context.Background(), nil)
	require.False(t, task.sample.ok, "no clocks read at the start")
	require.NoError(t, task.Check())
	spin(2 * boundFrom)
	require.NoError(t, task.Check())
	st := task.Stats()
	require.False(t, task.sample.ok, "no clocks read at the checks")
	require.Equal(t, st.MaxStretch, st.MaxOnCPU)
	require.Equal(t, task.Fork(context.Background()).bounds, false)
	require.True(t, NewTask(context.Background(), nil, WithCPUBounds()).Fork(context.Background()).bounds, "a fork bounds as its parent does")
}
