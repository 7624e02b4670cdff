package engine_test

import (
	"context"
	"errors"
	"testing"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/sqlerr"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMemoryLimit runs queries that would need far more memory than their
// limit: each must fail with the memory-limit error naming the operator
// that holds the memory, having held not much more than the limit, with
// every buffer and goroutine given back, and the next query on the same
// session must run.
func TestMemoryLimit(t *testing.T) {
	const limit = 32 << 20
	cases := []struct {
		name, sql, operator string
	}{
		// 20M groups: about 1.5 GB of hash table and states unlimited.
		{"group by", "SELECT count(*) FROM (SELECT range AS g, count(*) AS c FROM range(20000000) GROUP BY g) t", "HashAggregate"},
		{"distinct", "SELECT count(DISTINCT range) FROM range(20000000)", "Aggregate"},
		{"sort", "SELECT count(*) FROM (SELECT range FROM range(20000000) ORDER BY range DESC) t", "Sort"},
		{"join build", "SELECT count(*) FROM range(20000000) a JOIN range(20000000) b ON a.range = b.range", "HashJoin"},
		// A runaway recursion: the working table doubles every iteration.
		{"recursion", "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t, range(2)) SELECT count(*) FROM t", "RecursiveCTE"},
		// UNION: the working table stays 1000 rows, the set of rows seen grows.
		{"recursion distinct", "WITH RECURSIVE t(n) AS (SELECT range FROM range(1000) UNION SELECT n + 1000 FROM t) SELECT count(*) FROM t", "RecursiveCTE"},
	}
	for _, threads := range threadCounts {
		for _, c := range cases {
			t.Run(name(threads)+"/"+c.name, func(t *testing.T) {
				ignore := goleak.IgnoreCurrent()
				e, mem := hazardEngine(t, threads)
				defer e.Close()
				sess := e.NewSession()
				require.NoError(t, sess.Set("memory_limit", "32MiB"))

				rows, err := sess.Query(context.Background(), c.sql)
				require.NoError(t, err)
				for rows.Next() {
				}
				err = rows.Err()
				require.Error(t, err)
				require.True(t, errors.Is(err, sqlerr.ErrMemoryLimit), "got %v", err)
				var mle *operators.MemoryLimitError
				require.True(t, errors.As(err, &mle))
				require.Contains(t, mle.Operator, c.operator)
				require.Regexp(t, `^memory limit exceeded \(used [0-9.]+ MiB of 32.0 MiB\) in `, err.Error())
				require.NoError(t, rows.Close())
				// The check runs every few thousand rows; a hash table
				// doubling between two can overshoot, but not by much.
				require.Less(t, rows.Stats().PeakMemory, int64(4*limit))
				require.Zero(t, mem.CurrentAlloc(), "buffers not released")
				noQueryGoroutines(t, ignore)

				// The session is intact: a query under the limit runs.
				rows, err = sess.Query(context.Background(), "SELECT count(*), sum(range) FROM range(100000)")
				require.NoError(t, err)
				require.True(t, rows.Next())
				require.Equal(t, "4999950000", rows.Record().Column(1).ValueStr(0))
				require.NoError(t, rows.Close())
				require.Zero(t, mem.CurrentAlloc())
			})
		}
	}
}

// TestMemoryLimitPeak checks that a query under its limit succeeds and
// reports what it held.
func TestMemoryLimitPeak(t *testing.T) {
	e, _ := hazardEngine(t, 2)
	defer e.Close()
	sess := e.NewSession()
	require.NoError(t, sess.Set("memory_limit", "1GB"))
	rows, err := sess.Query(context.Background(), "SELECT count(*) FROM (SELECT range % 100000 AS g, count(*) FROM range(1000000) GROUP BY g) t")
	require.NoError(t, err)
	require.True(t, rows.Next())
	require.Equal(t, "100000", rows.Record().Column(0).ValueStr(0))
	require.False(t, rows.Next())
	require.NoError(t, rows.Close())
	// 100k groups: at least the keys (800 KB), far below the limit.
	require.Greater(t, rows.Stats().PeakMemory, int64(800_000))
	require.Less(t, rows.Stats().PeakMemory, int64(1e9))
}

func TestParseBytes(t *testing.T) {
	cases := []struct {
		in   string
		want int64
		bad  bool
	}{
		{in: "2GB", want: 2e9},
		{in: "2 GiB", want: 2 << 30},
		{in: "512mb", want: 512e6},
		{in: "1.5GB", want: 1.5e9},
		{in: "100KiB", want: 100 << 10},
		{in: "4096", want: 4096},
		{in: "10 bytes", want: 10},
		{in: "0", want: 0},
		{in: "none", want: 0},
		{in: "-1GB", bad: true},
		{in: "GB", bad: true},
		{in: "2 parsecs", bad: true},
		{in: "1e30 TB", bad: true},
		{in: "NaN", bad: true},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			got, err := engine.ParseBytes(c.in)
			if c.bad {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, c.want, got)
		})
	}
}

func TestMemoryLimitSetting(t *testing.T) {
	s := engine.DefaultSettings()
	require.Positive(t, s.MemoryLimit, "default is a share of the machine's memory")
	require.NoError(t, s.Set("memory_limit", "2GiB"))
	v, err := s.Get("memory_limit")
	require.NoError(t, err)
	require.Equal(t, "2.0 GiB", v)
	require.NoError(t, s.Set("memory_limit", "none"))
	v, err = s.Get("memory_limit")
	require.NoError(t, err)
	require.Equal(t, "none", v)
	err = s.Set("memory_limit", "lots")
	require.ErrorIs(t, err, sqlerr.ErrInvalidSetting)
	require.Contains(t, err.Error(), "memory_limit")
}

func TestShowAll(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	sess := e.NewSession()
	require.NoError(t, sess.Set("threads", "3"))
	rows, err := sess.Query(context.Background(), "SHOW ALL")
	require.NoError(t, err)
	defer rows.Close()
	got := map[string]string{}
	for rows.Next() {
		rec := rows.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			got[rec.Column(0).ValueStr(i)] = rec.Column(1).ValueStr(i)
		}
	}
	require.NoError(t, rows.Err())
	require.Equal(t, "3", got["threads"])
	require.Equal(t, "8192", got["batch_size"])
	require.Equal(t, "0s", got["statement_timeout"])
	require.Contains(t, got, "memory_limit")
	require.Len(t, got, 5)
}
