package operators

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// With a goroutine spinning on every core, the probe sees them all busy,
// so a task yields; with the cores idle but the test's own, it does not.
func TestCoreProbe(t *testing.T) {
	var p coreProbe
	require.Eventually(t, func() bool { return !p.allBusy() }, 5*time.Second, time.Millisecond,
		"with the other cores idle, nothing waits for this one")

	var stop atomic.Bool
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
			}
		}()
	}
	defer func() { stop.Store(true); wg.Wait() }()
	// This goroutine and the spinners want one core more than there are.
	for range 100 {
		require.True(t, p.allBusy())
	}
}
