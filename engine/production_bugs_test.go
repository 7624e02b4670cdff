package engine_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/operators"
)

// The two production bugs of the DataFusion case study (see
// ARCHITECTURE.md, "Cancellation"). Each test first runs its check on a
// deliberately broken variant, to show the check catches the bug, then on
// the engine.

// stillWorking reports whether a work counter moves after the query was
// closed: any goroutine still doing the query's work shows up here.
func stillWorking(counter func() int64) error {
	before := counter()
	time.Sleep(30 * time.Millisecond)
	if after := counter(); after != before {
		return fmt.Errorf("work went on after Close: counter %d -> %d", before, after)
	}
	return nil
}

// leakyTable is the broken variant of bug 1: its scan starts a prefetcher
// with a bare go statement, holding on to its source and not tied to the
// query's group, so nothing stops it when the query ends.
type leakyTable struct {
	work atomic.Int64
	stop chan struct{}
}

func (l *leakyTable) Name() string          { return "leaky" }
func (l *leakyTable) Schema() *arrow.Schema { return slowSchema }
func (l *leakyTable) Stats() catalog.Stats  { return catalog.Stats{RowCount: 1 << 20} }
func (l *leakyTable) Source(catalog.ScanRequest) (operators.Source, error) {
	return &leakySource{t: l}, nil
}

type leakySource struct{ t *leakyTable }

func (s *leakySource) Schema() *arrow.Schema { return slowSchema }
func (s *leakySource) Units() int            { return 1 }
func (s *leakySource) Describe() string      { return "leaky" }
func (s *leakySource) Close() error          { return nil }
func (s *leakySource) OpenUnit(*operators.Task, int) (operators.UnitReader, error) {
	go func() { // the bug: a goroutine outside the query's group
		for {
			select {
			case <-s.t.stop:
				return
			default:
				s.t.work.Add(1)
				time.Sleep(100 * time.Microsecond)
			}
		}
	}()
	return &slowUnit{t: &slowTable{delay: time.Millisecond}, left: 1 << 30}, nil
}

func TestProductionBug1WorkOutlivesCancelledQuery(t *testing.T) {
	t.Run("broken_variant_is_caught", func(t *testing.T) {
		ignore := goleak.IgnoreCurrent()
		e, _ := hazardEngine(t, 1)
		defer e.Close()
		leaky := &leakyTable{stop: make(chan struct{})}
		require.NoError(t, e.Register(leaky, false))
		runAndCancelAt(t, e, "SELECT count(*) FROM leaky", 10*time.Millisecond)
		require.Error(t, stillWorking(leaky.work.Load), "the check must see the leaked prefetcher")
		close(leaky.stop) // end it by hand, which the engine could not
		noQueryGoroutines(t, ignore)
	})
	for _, threads := range threadCounts {
		t.Run("engine/"+name(threads), func(t *testing.T) {
			ignore := goleak.IgnoreCurrent()
			e, mem := hazardEngine(t, threads)
			defer e.Close()
			slow := &slowTable{name: "slow", units: 1 << 20, delay: 200 * time.Microsecond}
			require.NoError(t, e.Register(slow, false))
			base := mem.CurrentAlloc()
			// A parallel scan, a prefetching scan of a blocking source, and a
			// shared hash-join build, each cancelled mid-way.
			stuck := &slowTable{name: "stuck", units: 1 << 20, delay: time.Millisecond, ignoresCtx: true}
			require.NoError(t, e.Register(stuck, false))
			for _, q := range []struct {
				sql     string
				counter func() int64
			}{
				{"SELECT sum(x) FROM slow", slow.reads.Load},
				{"SELECT sum(x) FROM stuck", stuck.reads.Load},
				{"SELECT count(*) FROM slow a JOIN stuck b ON a.x = b.x", func() int64 { return slow.reads.Load() + stuck.reads.Load() }},
			} {
				o := runAndCancelAt(t, e, q.sql, 30*time.Millisecond)
				require.ErrorIs(t, o.err, context.Canceled)
				require.NoError(t, stillWorking(q.counter), q.sql)
				require.Equal(t, base, mem.CurrentAlloc())
			}
			noQueryGoroutines(t, ignore)
		})
	}
}

func TestProductionBug2Futurelock(t *testing.T) {
	t.Run("broken_variant_is_caught", func(t *testing.T) {
		// A worker takes the only slot and then sends on a channel with a
		// plain send: after its consumer is gone it never returns, and the
		// slot is never given back.
		slots := make(chan struct{}, 1)
		out := make(chan int)
		ctx, cancel := context.WithCancel(context.Background())
		slots <- struct{}{}
		done := make(chan struct{})
		go func() {
			defer close(done)
			defer func() { <-slots }()
			out <- 1 // the bug: no select on ctx.Done()
		}()
		cancel() // the query is cancelled; nobody will read out
		_ = ctx
		select {
		case slots <- struct{}{}:
			t.Fatal("the broken variant should hold the slot")
		case <-time.After(100 * time.Millisecond):
			// Caught: the next query would hang here.
		}
		<-out // unblock the worker by hand
		<-done
	})
	t.Run("engine", func(t *testing.T) {
		// The engine's workers send in a select on the context: the slot
		// comes back (TestHazard13Futurelock runs the same scenario).
		ignore := goleak.IgnoreCurrent()
		e, mem := hazardEngine(t, 2, engine.WithMaxQueries(1))
		defer e.Close()
		base := mem.CurrentAlloc()
		for i := 0; i < 20; i++ {
			ctx, cancel := context.WithCancel(context.Background())
			rows, err := e.Query(ctx, "SELECT range FROM "+endless)
			require.NoError(t, err)
			require.True(t, rows.Next())
			time.Sleep(5 * time.Millisecond)
			cancel()
			require.NoError(t, rows.Close())
			require.Equal(t, 1, e.FreeSlots())
		}
		checkEngineWorks(t, e)
		require.Equal(t, base, mem.CurrentAlloc())
		noQueryGoroutines(t, ignore)
	})
}
