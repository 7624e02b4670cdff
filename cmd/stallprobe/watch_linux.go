package main

import (
	"fmt"
	"runtime"
	"syscall"
	"time"
)

// rusageThread is RUSAGE_THREAD: the calling thread's counters.
const rusageThread = 1

// watch spins on the clock for d on a thread of its own and records every
// gap of at least minGap, telling whether the thread was switched out.
func watch(d, minGap time.Duration) stalls {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var s stalls
	var before, after syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &before); err != nil {
		return stalls{err: fmt.Errorf("getrusage: %w", err)}
	}
	last := time.Now()
	end := last.Add(d)
	for last.Before(end) {
		now := time.Now()
		if gap := now.Sub(last); gap >= minGap {
			if err := syscall.Getrusage(rusageThread, &after); err != nil {
				return stalls{err: fmt.Errorf("getrusage: %w", err)}
			}
			s.add(gap, after.Nvcsw != before.Nvcsw || after.Nivcsw != before.Nivcsw)
			before = after
			now = time.Now() // the getrusage call is not part of the next gap
		}
		last = now
	}
	return s
}
