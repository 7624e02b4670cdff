package operators

import "time"

// A stretch between two checks is measured in wall time, and on a busy
// machine wall time includes time the thread did not run at all: the
// kernel preempted it, typically for a thread the garbage collector woke
// (1-4 ms on the 2-core VMs, with 20-200 µs of the query's own work in
// between). The task therefore also bounds each long stretch's time on
// the CPU, so that EXPLAIN ANALYZE can tell an operator that does too
// much between two checks from one that was not running.
//
// The bound is conservative. It is the thread's CPU time since a sample
// taken at most sampleEvery before the stretch began, so it counts up to
// that much too much. It falls back to the wall time whenever the thread
// could have been off the CPU for a reason of the query's own: the
// goroutine moved to another thread, or the thread slept (a voluntary
// context switch: an unchecked blocking wait is as bad as unchecked
// work). Time the thread spent running other goroutines is counted.

// threadClock is a reading of the current thread's clocks.
type threadClock struct {
	cpu    time.Duration // the thread's CPU time
	tid    int           // the thread
	sleeps int64         // its voluntary context switches
}

// threadSample is the task's last reading and when it was taken.
type threadSample struct {
	threadClock
	at time.Time
	ok bool
}

const (
	// sampleEvery is how often a task reads its thread's clocks at a
	// check: at most the error of the bound, for 0.1-0.2% of the CPU.
	sampleEvery = 250 * time.Microsecond
	// boundFrom is the shortest stretch worth bounding: below it the
	// wall time is close enough.
	boundFrom = 250 * time.Microsecond
)

// onCPU bounds the time on the CPU of the stretch that ends now and
// began at the last check, wall long. It never exceeds wall.
func (t *Task) onCPU(wall time.Duration) time.Duration {
	if wall < boundFrom || !t.bounds || !t.sample.ok {
		return wall
	}
	cur, ok := readThread()
	if !ok || cur.tid != t.sample.tid || cur.sleeps != t.sample.sleeps {
		return wall
	}
	return min(wall, cur.cpu-t.sample.cpu)
}

// resample reads the thread's clocks at a check (the start of a new
// stretch), when the last reading is older than sampleEvery or force is
// set.
func (t *Task) resample(now time.Time, force bool) {
	if !t.bounds || !force && t.sample.ok && now.Sub(t.sample.at) < sampleEvery {
		return
	}
	c, ok := readThread()
	t.sample = threadSample{threadClock: c, at: now, ok: ok}
}
