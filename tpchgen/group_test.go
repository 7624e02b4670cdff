package tpchgen

import (
	"context"
	"sync"
)

// testGroup is a minimal stand-in for the engine's query group: spawn starts
// a goroutine, wait joins them all and returns the first error.
func testGroup(ctx context.Context) (spawn func(string, func(context.Context) error), wait func() error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	spawn = func(_ string, fn func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := fn(ctx); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
			}
		}()
	}
	wait = func() error {
		wg.Wait()
		return first
	}
	return spawn, wait
}
