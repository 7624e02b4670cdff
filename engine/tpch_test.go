package engine_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/bufpool"
	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/internal/answers"
)

const tpchDir = "../testdata/tpch"

// openTPCH registers the SF0.01 Parquet files as tables.
func openTPCH(t testing.TB, mem memory.Allocator) *engine.Engine {
	e := engine.Open(engine.WithAllocator(mem))
	files, err := filepath.Glob(filepath.Join(tpchDir, "sf0.01", "*.parquet"))
	require.NoError(t, err)
	require.Len(t, files, 8)
	for _, f := range files {
		tb, err := catalog.OpenParquet(strings.TrimSuffix(filepath.Base(f), ".parquet"), f)
		require.NoError(t, err)
		require.NoError(t, e.Register(tb, false))
	}
	return e
}

// collect runs a query and returns its records (to be released).
func collect(t testing.TB, e *engine.Engine, sql string) (*arrow.Schema, []arrow.Record) {
	rows, err := e.Query(context.Background(), sql)
	require.NoError(t, err)
	defer rows.Close()
	var recs []arrow.Record
	for rows.Next() {
		rec := rows.Record()
		rec.Retain()
		recs = append(recs, rec)
	}
	require.NoError(t, rows.Err())
	return rows.Schema(), recs
}

// TestTPCHAnswers runs the 22 TPC-H queries, unmodified, on the official
// SF0.01 data and compares with the official answers.
func TestTPCHAnswers(t *testing.T) {
	mem := memory.NewCheckedAllocator(bufpool.New(64 << 20))
	defer mem.AssertSize(t, 0)
	e := openTPCH(t, mem)
	defer e.Close()
	checkTPCH(t, e)
}

// TestTPCHAnswersFromCSV exports the data to CSV with COPY, then answers
// the queries from the CSV files (types inferred by the CSV reader).
func TestTPCHAnswersFromCSV(t *testing.T) {
	mem := memory.NewCheckedAllocator(bufpool.New(64 << 20))
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	src := openTPCH(t, mem)
	for _, name := range src.Tables() {
		_, err := src.Exec(context.Background(), fmt.Sprintf("COPY %s TO '%s'", name, filepath.Join(dir, name+".csv")))
		require.NoError(t, err)
	}
	require.NoError(t, src.Close())
	e := engine.Open(engine.WithAllocator(mem))
	defer e.Close()
	names, err := e.RegisterDir(dir)
	require.NoError(t, err)
	require.Len(t, names, 8)
	checkTPCH(t, e)
}

// TestTPCHAnswersInMemory loads the data into in-memory tables with CREATE
// TABLE AS and answers the queries from them, single-threaded and in
// parallel (small morsels split every table between the workers).
func TestTPCHAnswersInMemory(t *testing.T) {
	for _, threads := range []int{1, 2, 8} {
		t.Run(fmt.Sprintf("threads=%d", threads), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(bufpool.New(64 << 20))
			defer mem.AssertSize(t, 0)
			settings := engine.DefaultSettings()
			settings.Threads, settings.MorselRows = threads, 2000
			e := engine.Open(engine.WithAllocator(mem), engine.WithSettings(settings))
			defer e.Close()
			files, err := filepath.Glob(filepath.Join(tpchDir, "sf0.01", "*.parquet"))
			require.NoError(t, err)
			for _, f := range files {
				name := strings.TrimSuffix(filepath.Base(f), ".parquet")
				_, err := e.Exec(context.Background(), fmt.Sprintf("CREATE TABLE %s AS SELECT * FROM `%s`", name, f))
				require.NoError(t, err)
			}
			checkTPCH(t, e)
		})
	}
}

func checkTPCH(t *testing.T, e *engine.Engine) {
	queries, err := filepath.Glob(filepath.Join(tpchDir, "queries", "q*.sql"))
	require.NoError(t, err)
	require.Len(t, queries, 22)
	for _, q := range queries {
		name := strings.TrimSuffix(filepath.Base(q), ".sql")
		t.Run(name, func(t *testing.T) {
			text, err := os.ReadFile(q)
			require.NoError(t, err)
			want, err := answers.ReadPSV(filepath.Join(tpchDir, "answers", name+".psv"))
			require.NoError(t, err)
			schema, recs := collect(t, e, string(text))
			defer func() {
				for _, r := range recs {
					r.Release()
				}
			}()
			require.NoError(t, answers.Compare(answers.FromRecords(schema, recs), want))
		})
	}
}
