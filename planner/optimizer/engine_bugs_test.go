package optimizer_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
)

// openFDs counts this process's open file descriptors (Linux only).
func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(ents)
}

// TestEngineClosesDataFiles: data files the engine opens itself (RegisterDir,
// FROM `path.parquet`) must be closed again by Close, and a path read by
// many queries is opened once.
func TestEngineClosesDataFiles(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "tpch", "sf0.01")
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)

	before := openFDs(t)
	e := engine.Open(engine.WithAllocator(mem))
	_, err := e.RegisterDir(dir)
	require.NoError(t, err)
	require.NoError(t, e.Close())
	assert.Equal(t, before, openFDs(t), "files left open by RegisterDir after Close")

	// A path in FROM is opened once and kept open until the engine closes:
	// five queries hold one file, not five, and Close releases it.
	e = engine.Open(engine.WithAllocator(mem))
	before = openFDs(t)
	for i := 0; i < 5; i++ {
		rows, err := e.Query(context.Background(), "SELECT count(*) FROM `"+filepath.Join(dir, "region.parquet")+"`")
		require.NoError(t, err)
		for rows.Next() {
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
	}
	assert.Equal(t, before+1, openFDs(t), "files left open by queries reading a path")
	require.NoError(t, e.Close())
	assert.Equal(t, before, openFDs(t), "files left open after Close")
}
