package bench

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/internal/answers"
)

// noMax stands for "no upper bound" in a shape.
const noMax = -1

// shape bounds the number of rows a query returns at any scale factor of
// at least officialSF, from the query's text and the value domains of the
// TPC-H specification (which the generator follows). The minimums are 1
// (non-empty) for every query: each official SF0.01 answer is non-empty,
// and results only grow with the data. Exact counts come from fixed
// domains.
type shape struct {
	Min, Max int
	Why      string
}

var shapes = [23]shape{
	1:  {4, 4, "(l_returnflag, l_linestatus) takes exactly four values: R and A only when l_receiptdate <= 1995-06-17, hence l_shipdate too and l_linestatus F; N with F or O (clause 4.2.3)"},
	2:  {1, 100, "LIMIT 100"},
	3:  {1, 10, "LIMIT 10"},
	4:  {5, 5, "one row per o_orderpriority, 5 values (clause 4.2.3), all present in any quarter"},
	5:  {1, 5, "one row per nation of ASIA, 5 nations (clause 4.2.3)"},
	6:  {1, 1, "scalar aggregate"},
	7:  {1, 4, "2 nation pairs (FRANCE, GERMANY) × 2 years (1995, 1996)"},
	8:  {2, 2, "one row per year 1995 and 1996"},
	9:  {1, 175, "25 nations × 7 order years (1992-1998)"},
	10: {1, 20, "LIMIT 20"},
	11: {1, noMax, "parts above a fraction of the total value"},
	12: {2, 2, "one row per ship mode, MAIL and SHIP"},
	13: {1, noMax, "distribution of orders per customer"},
	14: {1, 1, "scalar aggregate"},
	15: {1, noMax, "the suppliers with the top revenue (ties possible)"},
	16: {1, noMax, "groups of brand, type and size"},
	17: {1, 1, "scalar aggregate"},
	18: {1, 100, "LIMIT 100"},
	19: {1, 1, "scalar aggregate"},
	20: {1, noMax, "suppliers with excess stock of forest parts"},
	21: {1, 100, "LIMIT 100"},
	22: {1, 7, "one row per country code, 7 listed"},
}

// runText runs sql and returns its result as text, the form
// internal/answers compares.
func runText(ctx context.Context, s *engine.Session, sql string) (*answers.Table, error) {
	schema, recs, err := collect(ctx, s, sql)
	if err != nil {
		return nil, err
	}
	defer release(recs)
	return answers.FromRecords(schema, recs), nil
}

// collect runs sql and returns every batch of its result, which the
// caller releases.
func collect(ctx context.Context, s *engine.Session, sql string) (*arrow.Schema, []arrow.Record, error) {
	rows, err := s.Query(ctx, sql)
	if err != nil {
		return nil, nil, err
	}
	var recs []arrow.Record
	for rows.Next() {
		rec := rows.Record()
		rec.Retain()
		recs = append(recs, rec)
	}
	err = rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		release(recs)
		return nil, nil, err
	}
	return rows.Schema(), recs, nil
}

func release(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

// checker runs the once-per-query checks on an engine of its own whose
// allocator is checked, so that a leaked buffer is an error too.
type checker struct {
	d    *dataset
	mem  *memory.CheckedAllocator
	eng  *engine.Engine
	one  *engine.Session // threads = 1
	two  *engine.Session // threads = 2
	done map[int]error   // query number -> outcome, so each is checked once
}

func newChecker(d *dataset) (*checker, error) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	eng := engine.Open(engine.WithAllocator(mem))
	if _, err := eng.RegisterDir(d.Dir); err != nil {
		eng.Close()
		return nil, err
	}
	c := &checker{d: d, mem: mem, eng: eng, one: eng.NewSession(), two: eng.NewSession(), done: map[int]error{}}
	if err := c.one.Set("threads", "1"); err != nil {
		return nil, err
	}
	if err := c.two.Set("threads", "2"); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *checker) Close() error { return c.eng.Close() }

// check verifies q once (later calls return the first outcome):
//
//  1. it runs without error at threads=1 and at threads=2, and the two
//     results are identical: same rows in the same order, doubles within a
//     relative 1e-9 (which also catches a non-deterministic plan);
//  2. every buffer of both runs went back to the allocator;
//  3. the column names are those of the official answer's header (see
//     sameColumns), and
//     the row count is within the query's shape (the minimum only at
//     SF >= 0.01);
//  4. on the official SF0.01 data, the result equals the official answer
//     (internal/answers: exact for integers, decimals, strings and dates).
func (c *checker) check(ctx context.Context, q query) error {
	if err, ok := c.done[q.Num]; ok {
		return err
	}
	err := c.checkOnce(ctx, q)
	c.done[q.Num] = err
	return err
}

func (c *checker) checkOnce(ctx context.Context, q query) error {
	r1, err := runText(ctx, c.one, q.SQL)
	if err != nil {
		return fmt.Errorf("%s at threads=1: %w", q.Name, err)
	}
	r2, err := runText(ctx, c.two, q.SQL)
	if err != nil {
		return fmt.Errorf("%s at threads=2: %w", q.Name, err)
	}
	if err := answers.Compare(r2, r1); err != nil {
		return fmt.Errorf("%s: threads=2 differs from threads=1: %w", q.Name, err)
	}
	if n := c.mem.CurrentAlloc(); n != 0 {
		return fmt.Errorf("%s: %d bytes still allocated after the query closed", q.Name, n)
	}
	want, err := answers.ReadPSV(filepath.Join(answersDir, q.Name+".psv"))
	if err != nil {
		return err
	}
	if !sameColumns(r1.Header, want.Header) {
		return fmt.Errorf("%s: columns %q, want %q", q.Name, r1.Header, want.Header)
	}
	s := shapes[q.Num]
	n := len(r1.Rows)
	if (c.d.SF >= officialSF && n < s.Min) || (s.Max != noMax && n > s.Max) {
		return fmt.Errorf("%s: %d rows, want %d to %d (%s)", q.Name, n, s.Min, s.Max, s.Why)
	}
	if c.d.Official {
		if err := answers.Compare(r1, want); err != nil {
			return fmt.Errorf("%s: differs from the official answer: %w", q.Name, err)
		}
	}
	return nil
}

// sameColumns compares result column names with an official answer's
// header. An unaliased aggregate is named after its call, as DuckDB names
// it (q18's sum(l_quantity)), where the stored answer says just "sum".
func sameColumns(got, want []string) bool {
	return slices.EqualFunc(got, want, func(g, w string) bool {
		return g == w || strings.HasPrefix(g, w+"(")
	})
}
