package operators

import (
	"context"
	"runtime"
	"runtime/metrics"
	"time"
)

// A busy task yields its core every yieldEvery so that a goroutine waiting
// for one (the one that cancels the query, or whose timer is due) gets
// it. The yield helps only when every core is taken: with one idle, the
// runtime runs such a goroutine there at once. And it costs when one is
// idle: runtime.Gosched puts the task on the global run queue and wakes
// a sleeping thread to take the idle core, a futex wake (2.5 ms of TPC-H
// Q1's 50 at threads=1 on the paravirtualised VMs), after which the task
// often resumes on that other thread, its caches cold. So a task first
// asks the scheduler (runtime/metrics, about 80 ns) whether anything is
// waiting or every core is running.

// coreProbe reads whether every core is busy. Its samples are the task's
// own: metrics.Read writes into them.
type coreProbe struct {
	samples [3]metrics.Sample
	ready   bool
}

var probeNames = [3]string{
	"/sched/gomaxprocs:threads",
	"/sched/goroutines/running:goroutines",
	"/sched/goroutines/runnable:goroutines",
}

// allBusy reports whether a goroutine is waiting for a core or every core
// runs one; true when the runtime cannot tell.
func (p *coreProbe) allBusy() bool {
	if !p.ready {
		for i, name := range probeNames {
			p.samples[i].Name = name
		}
		p.ready = true
	}
	metrics.Read(p.samples[:])
	for _, s := range p.samples {
		if s.Value.Kind() != metrics.KindUint64 {
			return true
		}
	}
	procs, running, runnable := p.samples[0].Value.Uint64(), p.samples[1].Value.Uint64(), p.samples[2].Value.Uint64()
	return runnable > 0 || running >= procs
}

// yield lets other goroutines run, as a tokio task yields when its budget
// runs out, if any is waiting for a core (see coreProbe). With every core
// busy with a query's workers, the goroutine that cancels it may otherwise
// wait for a core for a scheduler time slice (10 ms or more) before the
// cancel even reaches the workers' contexts: traces showed cancel()
// preempted halfway through propagating, for 15 ms.
func (t *Task) yield(now time.Time) error {
	t.lastYield = now
	if !t.cores.allBusy() {
		return nil
	}
	runtime.Gosched()
	// Back from the scheduler, maybe on another thread, after other
	// goroutines ran (the garbage collector's fractional worker often
	// takes the core for 0.3-0.7 ms here): look again and start the next
	// stretch now. No operator work happened.
	now = time.Now()
	t.lastYield, t.lastCheck = now, now
	t.resample(now, true)
	if t.ctx.Err() != nil {
		return context.Cause(t.ctx)
	}
	return nil
}
