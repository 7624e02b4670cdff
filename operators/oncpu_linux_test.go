package operators

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// pinToCPU locks the goroutine to its thread and the thread to cpu; the
// caller unlocks it (the thread then exits, with its affinity).
func pinToCPU(cpu int) error {
	runtime.LockOSThread()
	var set unix.CPUSet
	set.Set(cpu)
	return unix.SchedSetaffinity(0, &set)
}

// TestOnCPULeavesOutPreemption shares one CPU between the task's thread
// and a thread that spins: the stretch's wall time is about twice its
// time on the CPU, and the bound shows it.
func TestOnCPULeavesOutPreemption(t *testing.T) {
	var mine unix.CPUSet
	require.NoError(t, unix.SchedGetaffinity(0, &mine))
	cpu := -1
	for i := 0; i < 1024 && cpu < 0; i++ {
		if mine.IsSet(i) {
			cpu = i
		}
	}
	require.GreaterOrEqual(t, cpu, 0)

	const d = 8 * time.Millisecond // below the 10 ms after which the runtime preempts a goroutine
	// How the kernel shares the CPU varies: a few tries, one must show it.
	var seen []string
	for range 5 {
		st := sharedStretch(t, cpu, d)
		require.GreaterOrEqual(t, st.MaxStretch, d)
		if st.MaxOnCPU < st.MaxStretch*4/5 {
			return
		}
		seen = append(seen, fmt.Sprintf("wall %v, on cpu %v", st.MaxStretch, st.MaxOnCPU))
	}
	t.Fatalf("the other thread's share of the CPU never showed: %v", seen)
}

// sharedStretch spins for d between two checks on cpu, which another
// thread spins on too.
func sharedStretch(t *testing.T, cpu int, d time.Duration) TaskStats {
	var stop atomic.Bool
	var wg sync.WaitGroup
	wg.Add(1)
	pinned := make(chan error)
	go func() {
		defer wg.Done()
		defer runtime.UnlockOSThread()
		err := pinToCPU(cpu)
		pinned <- err
		if err != nil {
			return
		}
		for !stop.Load() { // spin
		}
	}()
	defer wg.Wait()
	defer stop.Store(true)
	if err := <-pinned; err != nil {
		t.Skipf("cannot pin a thread: %v", err)
	}
	defer runtime.UnlockOSThread()
	if err := pinToCPU(cpu); err != nil {
		t.Skipf("cannot pin a thread: %v", err)
	}
	return stretchOf(t, func() { spin(d) })
}
