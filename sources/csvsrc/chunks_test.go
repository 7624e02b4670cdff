package csvsrc

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/minisql/minisql/sqlerr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mixedFile has quoted fields with delimiters, empty lines, CRLF and NULLs.
func mixedFile(t testing.TB, rows int) string {
	var sb strings.Builder
	sb.WriteString("id,name,price,day\r\n")
	for i := 1; i <= rows; i++ {
		switch i % 7 {
		case 0:
			fmt.Fprintf(&sb, "%d,\"x, \"\"%d\"\"\",%d.%02d,2024-03-%02d\r\n", i, i, i, i%100, i%28+1)
		case 3:
			fmt.Fprintf(&sb, "%d,,,\n\n", i)
		default:
			fmt.Fprintf(&sb, "%d,name%d,%d.%02d,2024-03-%02d\n", i, i, i, i%100, i%28+1)
		}
	}
	return writeTemp(t, "m.csv", sb.String())
}

func TestChunksConcatenateToWhole(t *testing.T) {
	path := mixedFile(t, 20000)
	f, err := Open(context.Background(), path, Options{BatchSize: 1000})
	require.NoError(t, err)
	assert.Equal(t, "id:BIGINT, name:VARCHAR, price:DECIMAL(18,2), day:DATE", schemaString(f.Schema()))
	whole, err := readAll(t, f, nil)
	require.NoError(t, err)
	require.Len(t, whole, 20000)
	f.minChunk = 1000
	for n := 1; n <= 9; n++ {
		chunks := f.Chunks(n)
		assert.Len(t, chunks, n)
		assert.Equal(t, f.dataStart, chunks[0].Start)
		assert.Equal(t, f.Size(), chunks[len(chunks)-1].End)
		var got [][]string
		for i, c := range chunks {
			if i > 0 {
				assert.Equal(t, chunks[i-1].End, c.Start)
			}
			rows, err := readChunk(t, f, c, nil)
			require.NoError(t, err)
			got = append(got, rows...)
		}
		assert.Equal(t, whole, got, "n=%d", n)
	}
	// Small files are not split by default.
	f.minChunk = defaultMinChunk
	assert.Len(t, f.Chunks(4), 1)
}

func TestChunkErrorsKnowTheirLine(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("a,b\n")
	for i := 1; i <= 10000; i++ {
		if i == 9000 {
			sb.WriteString("oops,x\n")
			continue
		}
		fmt.Fprintf(&sb, "%d,x\n", i)
	}
	f, err := openString(t, "c.csv", sb.String(), Options{Schema: schemaOf("a", int64T, "b", stringT)})
	require.NoError(t, err)
	f.minChunk = 1000
	chunks := f.Chunks(4)
	require.Len(t, chunks, 4)
	_, err = readChunk(t, f, chunks[3], nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 9001")
	assert.Contains(t, err.Error(), `column "a" (1)`)
}

// TestChunkStraddleDetected: a quoted newline beyond the sample at a split
// point is detected by the reader of the chunk before it.
func TestChunkStraddleDetected(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("a,b\n")
	for i := 1; i <= 2000; i++ {
		fmt.Fprintf(&sb, "%d,x\n", i)
	}
	long := strings.Repeat("line\n", 2000)
	fmt.Fprintf(&sb, "2001,\"%s\"\n", long)
	for i := 2002; i <= 3000; i++ {
		fmt.Fprintf(&sb, "%d,x\n", i)
	}
	f, err := openString(t, "s.csv", sb.String(), Options{SampleRows: 100, Schema: schemaOf("a", int64T, "b", stringT)})
	require.NoError(t, err)
	f.minChunk = 100
	chunks := f.Chunks(2)
	require.Len(t, chunks, 2)
	_, err = readChunk(t, f, chunks[0], nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, sqlerr.ErrInvalidValue)
	assert.Contains(t, err.Error(), "SingleChunk")

	f, err = openString(t, "s.csv", sb.String(), Options{SampleRows: 100, SingleChunk: true, Schema: schemaOf("a", int64T, "b", stringT)})
	require.NoError(t, err)
	f.minChunk = 100
	require.Len(t, f.Chunks(2), 1)
	rows, err := readAll(t, f, nil)
	require.NoError(t, err)
	assert.Len(t, rows, 3000)
	assert.Equal(t, long, rows[2000][1])
}
