package engine_test

import (
	"os"
	"path/filepath"
	"runtime/trace"
	"testing"
	"time"
)

// cancelTrace keeps an execution trace of the slowest cancel of a
// BenchmarkCancel run, when MINISQL_CANCEL_TRACE names a directory: a
// flight recorder holds the last seconds of trace, and after each trial
// slower than any before it (and than slowTrial) it is written to
// DIR/<hazard>-threads=N.trace. `go tool trace -d=parsed FILE` then shows
// what every goroutine did between cancel() and quiescence; that is how
// the allocation stalls and the starved canceller of BENCHMARKS.md were
// found.
type cancelTrace struct {
	fr    *trace.FlightRecorder
	path  string
	worst time.Duration
}

// slowTrial is the least latency worth a trace.
const slowTrial = 5 * time.Millisecond

func startCancelTrace(b *testing.B, name string) *cancelTrace {
	dir := os.Getenv("MINISQL_CANCEL_TRACE")
	if dir == "" {
		return &cancelTrace{}
	}
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 2 * time.Second, MaxBytes: 64 << 20})
	if err := fr.Start(); err != nil {
		b.Fatalf("flight recorder: %v", err)
	}
	return &cancelTrace{fr: fr, path: filepath.Join(dir, name+".trace"), worst: slowTrial}
}

// trial writes the trace if this cancel took longer than any before.
func (c *cancelTrace) trial(b *testing.B, quiet time.Duration) {
	if c.fr == nil || quiet <= c.worst {
		return
	}
	c.worst = quiet
	f, err := os.Create(c.path)
	if err != nil {
		b.Fatalf("trace: %v", err)
	}
	defer f.Close()
	if _, err := c.fr.WriteTo(f); err != nil {
		b.Fatalf("trace: %v", err)
	}
	b.Logf("trace of a %v cancel in %s", quiet, c.path)
}

func (c *cancelTrace) stop() {
	if c.fr != nil {
		c.fr.Stop()
	}
}
