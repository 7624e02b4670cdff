package main

import (
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/minisql/minisql/engine"
)

// A survey collects, for every operator of every query, its longest
// unchecked stretch in each run.
//
// Why the shortest of those maxima is the figure: a stretch is the
// operator's own work plus whatever stopped its thread meanwhile (the
// kernel preempting it, a page fault the hypervisor is slow to serve, the
// host taking the virtual CPU). Those stops only ever add time, and they
// land on a different stretch every run, while the work between two
// checks is the same every run. So each run's longest stretch is at least
// the longest piece of work the run's checks left, and the least
// disturbed run is the tightest such bound the runs give.
type survey struct {
	queries []*queryRuns
}

// queryRuns is one query's operators and their figures run by run.
type queryRuns struct {
	name string
	ops  []opRuns
}

// opRuns is one operator's longest stretch in each run: on the CPU
// (preemption taken out where the task could bound it) and on the clock.
// kind is its operator's name, which every run must repeat; name adds
// the first run's detail, which may hold figures of that run (a
// parallel aggregate's groups per partition).
type opRuns struct {
	kind, name   string
	onCPU, stamp []time.Duration
}

// add records one run of query name.
func (s *survey) add(name string, stats []engine.OperatorStat) error {
	var q *queryRuns
	if n := len(s.queries); n > 0 && s.queries[n-1].name == name {
		q = s.queries[n-1]
	} else {
		q = &queryRuns{name: name}
		for _, st := range stats {
			q.ops = append(q.ops, opRuns{kind: st.Name, name: opName(st)})
		}
		s.queries = append(s.queries, q)
	}
	if len(stats) != len(q.ops) {
		return fmt.Errorf("%s: the plan changed between runs (%d operators, then %d)", name, len(q.ops), len(stats))
	}
	for i, st := range stats {
		op := &q.ops[i]
		if st.Name != op.kind {
			return fmt.Errorf("%s: the plan changed between runs (%q, then %q)", name, op.name, opName(st))
		}
		op.onCPU = append(op.onCPU, st.Metrics.MaxOnCPU)
		op.stamp = append(op.stamp, st.Metrics.MaxStretch)
	}
	return nil
}

func opName(st engine.OperatorStat) string {
	if st.Detail == "" {
		return st.Name
	}
	return st.Name + " " + st.Detail
}

// opBound is one operator's summary.
type opBound struct {
	query, op string
	bound     time.Duration // the least of its runs' longest stretches on the CPU
	median    time.Duration // their median
	longest   time.Duration // the longest stretch of any run, on the clock
}

// bounds summarizes every operator, the largest bound first.
func (s *survey) bounds() []opBound {
	var out []opBound
	for _, q := range s.queries {
		for _, op := range q.ops {
			if len(op.onCPU) == 0 {
				continue
			}
			cpu := slices.Sorted(slices.Values(op.onCPU))
			out = append(out, opBound{
				query:   q.name,
				op:      op.name,
				bound:   cpu[0],
				median:  cpu[(len(cpu)-1)/2],
				longest: slices.Max(op.stamp),
			})
		}
	}
	slices.SortStableFunc(out, func(a, b opBound) int { return int(b.bound - a.bound) })
	return out
}

// report writes the top operators by bound and a summary line, and
// reports whether every bound is under limit.
func (s *survey) report(w io.Writer, top int, limit time.Duration) bool {
	all := s.bounds()
	fmt.Fprintf(w, "%9s %9s %9s  %-22s %s\n", "bound", "median", "longest", "query", "operator")
	for i, b := range all {
		if i == top {
			fmt.Fprintf(w, "(%d more operators)\n", len(all)-top)
			break
		}
		fmt.Fprintf(w, "%9s %9s %9s  %-22s %s\n", ms(b.bound), ms(b.median), ms(b.longest), b.query, trim(b.op, 100))
	}
	over, longRuns := 0, 0
	var worstRun time.Duration
	for _, q := range s.queries {
		for _, op := range q.ops {
			for _, d := range op.stamp {
				if d >= limit {
					longRuns++
				}
				worstRun = max(worstRun, d)
			}
		}
	}
	for _, b := range all {
		if b.bound >= limit {
			over++
		}
	}
	if len(all) == 0 {
		fmt.Fprintln(w, "no operators ran")
		return true
	}
	fmt.Fprintf(w, "%d operators: the largest bound %s (%s %s); %d bound at or over %s.\n",
		len(all), ms(all[0].bound), all[0].query, trim(all[0].op, 60), over, ms(limit))
	fmt.Fprintf(w, "Single runs: %d operator runs with a stretch of %s or more on the clock, the longest %s.\n",
		longRuns, ms(limit), ms(worstRun))
	return over == 0
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d)/float64(time.Millisecond)) }

func trim(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
