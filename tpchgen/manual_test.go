package tpchgen

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGenerateToDir writes a data set for manual inspection and timing:
//
//	TPCHGEN_OUT=/tmp/tpch-sf1 TPCHGEN_SF=1 go test -run TestGenerateToDir -v ./tpchgen
//
// TPCHGEN_FORMAT selects csv; TPCHGEN_SEQUENTIAL=1 writes one table at a time.
func TestGenerateToDir(t *testing.T) {
	dir := os.Getenv("TPCHGEN_OUT")
	if dir == "" {
		t.Skip("set TPCHGEN_OUT (and TPCHGEN_SF) to write a data set")
	}
	sf, err := strconv.ParseFloat(os.Getenv("TPCHGEN_SF"), 64)
	require.NoError(t, err)
	format := os.Getenv("TPCHGEN_FORMAT")
	if format == "" {
		format = FormatParquet
	}
	var spawn func(string, func(context.Context) error)
	var wait func() error
	if os.Getenv("TPCHGEN_SEQUENTIAL") == "" {
		spawn, wait = testGroup(context.Background())
	}
	st, err := Generate(context.Background(), dir, Options{SF: sf}, format, spawn)
	require.NoError(t, err)
	if wait != nil {
		require.NoError(t, wait())
	}
	for _, ts := range st.Tables {
		t.Logf("%-9s %10d rows %12d bytes %8.3fs", ts.Table, ts.Rows, ts.Bytes, ts.Elapsed.Seconds())
	}
	t.Logf("total     %10d rows %12d bytes %8.3fs", st.Rows, st.Bytes, st.Elapsed.Seconds())
}
