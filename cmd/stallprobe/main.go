// Command stallprobe measures how often this machine stops a busy thread.
//
// Each of -threads goroutines, locked to its own OS thread, reads the
// clock in a loop for -for. Every gap of -min or more between two readings
// is a stall: with a guest context switch in it (getrusage's voluntary or
// involuntary switches of the thread moved), the kernel ran something else
// on that core; without one, the thread was paused where the guest cannot
// see it (the hypervisor took the virtual CPU, whose time the guest counts
// as the thread's own CPU time when it reports no steal).
//
// Why: a query's cancel is answered at its next check, and no check can
// answer while its thread is stopped. On the 2-core VMs minisql is measured
// on, both kinds happen several times a second, and they are the floor
// under BenchmarkCancel's tail at threads=2 and under the longest
// "unchecked" stretches EXPLAIN ANALYZE reports. Run it with as many
// threads as the benchmark's workers, on an otherwise idle machine.
package main

import (
	"flag"
	"fmt"
	"os"
	"sync"
	"time"
)

func main() {
	threads := flag.Int("threads", 1, "busy threads, one per core to load")
	dur := flag.Duration("for", 20*time.Second, "how long to watch")
	minGap := flag.Duration("min", time.Millisecond, "the shortest gap counted")
	flag.Parse()
	if *threads < 1 || *dur <= 0 || *minGap <= 0 {
		fmt.Fprintln(os.Stderr, "stallprobe: -threads, -for and -min must be positive")
		os.Exit(2)
	}
	results := make([]stalls, *threads)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = watch(*dur, *minGap)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.err != nil {
			fmt.Fprintf(os.Stderr, "stallprobe: %v\n", r.err)
			os.Exit(1)
		}
		fmt.Printf("thread %d: %s\n", i, r.summary(*dur))
	}
}
