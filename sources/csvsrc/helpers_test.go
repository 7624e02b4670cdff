package csvsrc

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/require"
)

// writeTemp writes content to a file called name in a fresh directory.
func writeTemp(t testing.TB, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// openString opens content written to a file called name.
func openString(t testing.TB, name, content string, opts Options) (*File, error) {
	t.Helper()
	return Open(context.Background(), writeTemp(t, name, content), opts)
}

// recordRows renders a record's rows as text, NULL as "NULL".
func recordRows(rec arrow.Record) [][]string {
	rows := make([][]string, rec.NumRows())
	for i := range rows {
		row := make([]string, rec.NumCols())
		for j, col := range rec.Columns() {
			if col.IsNull(i) {
				row[j] = "NULL"
			} else {
				row[j] = string(AppendValue(nil, col, i))
			}
		}
		rows[i] = row
	}
	return rows
}

// readChunk reads one chunk completely with a checked allocator.
func readChunk(t testing.TB, f *File, c Chunk, columns []int) ([][]string, error) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r, err := f.NewReader(c, columns, mem)
	require.NoError(t, err)
	defer r.Close()
	var rows [][]string
	for {
		rec, err := r.Next(context.Background())
		if err != nil {
			return rows, err
		}
		if rec == nil {
			return rows, nil
		}
		require.True(t, arrow.TypeEqual(arrow.StructOf(r.Schema().Fields()...), arrow.StructOf(rec.Schema().Fields()...)))
		rows = append(rows, recordRows(rec)...)
		rec.Release()
	}
}

// readAll reads the whole file with one reader.
func readAll(t testing.TB, f *File, columns []int) ([][]string, error) {
	t.Helper()
	return readChunk(t, f, f.Chunks(1)[0], columns)
}

// schemaString renders a schema as "name:TYPE, ...".
func schemaString(s *arrow.Schema) string {
	out := ""
	for i, f := range s.Fields() {
		if i > 0 {
			out += ", "
		}
		out += f.Name + ":" + typeName(f.Type)
	}
	return out
}

func typeName(dt arrow.DataType) string {
	switch t := dt.(type) {
	case *arrow.TimestampType:
		return "TIMESTAMP"
	case *arrow.Int64Type:
		return "BIGINT"
	case *arrow.Float64Type:
		return "DOUBLE"
	case *arrow.Decimal128Type:
		return "DECIMAL(" + itoa(int(t.Precision)) + "," + itoa(int(t.Scale)) + ")"
	case *arrow.StringType:
		return "VARCHAR"
	case *arrow.Date32Type:
		return "DATE"
	case *arrow.BooleanType:
		return "BOOLEAN"
	}
	return dt.String()
}

var (
	int64T  = types.Int64Type
	stringT = types.StringType
)

// dateOf converts days since the epoch to a Date32.
func dateOf(days int) arrow.Date32 { return arrow.Date32(days) }
