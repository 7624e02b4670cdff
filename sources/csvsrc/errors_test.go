package csvsrc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func schemaOf(cols ...any) *arrow.Schema {
	var fields []arrow.Field
	for i := 0; i < len(cols); i += 2 {
		fields = append(fields, arrow.Field{Name: cols[i].(string), Type: cols[i+1].(types.T).Arrow(), Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

func TestReadErrors(t *testing.T) {
	ab := schemaOf("a", types.Int64Type, "b", types.StringType)
	tests := []struct {
		name    string
		content string
		opts    Options
		openErr bool     // the error comes from Open (the sample) rather than the scan
		want    []string // substrings of the message
	}{
		{"bad int", "a,b\n1,x\n2,y\nz,w\n", Options{Schema: ab}, false,
			[]string{`line 4`, `column "a" (1)`, `cannot parse "z" as BIGINT`}},
		{"int overflow", "a,b\n1,x\n99999999999999999999,y\n", Options{Schema: ab}, false,
			[]string{`line 3`, `column "a" (1)`, `out of range`}},
		{"decimal precision", "a\n1.5\n123456.5\n", Options{Schema: schemaOf("a", types.DecimalType(5, 2))}, false,
			[]string{`line 3`, `DECIMAL(5,2)`, `out of range`}},
		{"bad date", "d\n2023-02-29\n", Options{Schema: schemaOf("d", types.DateType)}, false,
			[]string{`line 2`, `column "d" (1)`, `no such date`}},
		{"bad bool", "x,b\n1,maybe\n", Options{Schema: schemaOf("x", types.Int64Type, "b", types.BoolType)}, false,
			[]string{`line 2`, `column "b" (2)`, `BOOLEAN`}},
		{"too few fields", "a,b\n1,x\n2\n", Options{}, true,
			[]string{`line 3`, `expected 2 fields, found 1`}},
		{"too many fields", "a,b\n1,x\n2,y,z,w\n", Options{}, true,
			[]string{`line 3`, `expected 2 fields, found 4`}},
		{"too many fields in scan", "a,b\n1,x\n2,y,z,w\n", Options{Schema: ab, SampleRows: 2}, false,
			[]string{`line 3`, `expected 2 fields, found 4`}},
		{"unterminated quote", "a,b\n1,x\n2,\"abc\n3,y\n", Options{}, true,
			[]string{`line 3`, `unterminated quoted field`}},
		{"unterminated quote in scan", "a,b\n1,x\n2,y\n3,\"abc\n4,y\n", Options{Schema: ab, SampleRows: 2}, false,
			[]string{`line 4`, `unterminated quoted field`}},
		{"garbage after quote", "a,b\n1,\"x\"y\n", Options{Schema: ab}, true,
			[]string{`line 2`, `after a closing "`}},
		{"lines after quoted newline", "a,b\n1,\"x\ny\"\n2,\"p\nq\"\nz,w\n", Options{Schema: ab}, false,
			[]string{`line 6`, `cannot parse "z"`}},
		{"CRLF line numbers", "a,b\r\n1,x\r\n2,y\r\nq,z\r\n", Options{Schema: ab}, false,
			[]string{`line 4`, `cannot parse "q"`}},
		{"long value shortened", "a,b\n" + strings.Repeat("9", 100) + "x,y\n", Options{Schema: ab}, false,
			[]string{`line 2`, `"9999999999999999999999999999999999999999"...`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := openString(t, "t.csv", tt.content, tt.opts)
			if !tt.openErr {
				require.NoError(t, err)
				_, err = readAll(t, f, nil)
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, sqlerr.ErrInvalidValue)
			assert.Contains(t, err.Error(), "t.csv")
			for _, w := range tt.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	_, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing.csv"), Options{})
	assert.ErrorIs(t, err, sqlerr.ErrIO)
	assert.Contains(t, err.Error(), "missing.csv")

	_, err = openString(t, "empty.csv", "", Options{})
	assert.ErrorIs(t, err, sqlerr.ErrInvalidValue)
	assert.Contains(t, err.Error(), "empty")

	_, err = openString(t, "blank.csv", "\n\n", Options{})
	assert.ErrorIs(t, err, sqlerr.ErrInvalidValue)

	_, err = openString(t, "a.csv", "1,2\n", Options{Schema: arrow.NewSchema([]arrow.Field{{Name: "a", Type: arrow.PrimitiveTypes.Int32}}, nil)})
	assert.ErrorIs(t, err, sqlerr.ErrNotSupported)

	_, err = openString(t, "a.csv", "1,2\n", Options{Schema: schemaOf("a", types.Int64Type)})
	assert.ErrorIs(t, err, sqlerr.ErrInvalidValue)
	assert.Contains(t, err.Error(), "expected 1 fields, found 2")

	_, err = openString(t, "a.csv", "1,2\n", Options{ColumnNames: []string{"x"}})
	assert.ErrorIs(t, err, sqlerr.ErrInvalidSetting)

	_, err = openString(t, "a.csv", "1,2\n", Options{Delimiter: '\n'})
	assert.ErrorIs(t, err, sqlerr.ErrInvalidSetting)

	_, err = openString(t, "a.csv", "1,2\n", Options{Quote: ','})
	assert.ErrorIs(t, err, sqlerr.ErrInvalidSetting)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Open(ctx, writeTemp(t, "a.csv", "a\n1\n"), Options{})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestEmptyFileWithSchema(t *testing.T) {
	f, err := openString(t, "empty.csv", "", Options{Schema: schemaOf("a", types.Int64Type)})
	require.NoError(t, err)
	rows, err := readAll(t, f, nil)
	require.NoError(t, err)
	assert.Empty(t, rows)
}

func TestExplicitSchema(t *testing.T) {
	s := schemaOf("k", types.Int64Type, "p", types.DecimalType(15, 2), "d", types.DateType, "s", types.StringType)
	tests := []struct {
		name    string
		content string
		header  bool
		rows    [][]string
	}{
		{"header detected by type", "key,price,date,str\n1,2.5,2024-01-01,x\n", true, [][]string{{"1", "2.50", "2024-01-01", "x"}}},
		{"no header", "1,2.555,2024-01-01,x\n", false, [][]string{{"1", "2.56", "2024-01-01", "x"}}},
		{"quoted numbers", "\"1\",\"2\",\"2024-01-01\",\"\"\n", false, [][]string{{"1", "2.00", "2024-01-01", ""}}},
		{"nulls", ",,,\n", false, [][]string{{"NULL", "NULL", "NULL", "NULL"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := openString(t, "t.csv", tt.content, Options{Schema: s})
			require.NoError(t, err)
			assert.Equal(t, tt.header, f.HasHeader())
			assert.Equal(t, "k:BIGINT, p:DECIMAL(15,2), d:DATE, s:VARCHAR", schemaString(f.Schema()))
			rows, err := readAll(t, f, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.rows, rows)
		})
	}
	// All-VARCHAR schema: a header is recognised by its names.
	vs := schemaOf("name", types.StringType, "city", types.StringType)
	f, err := openString(t, "t.csv", "Name,City\nada,london\n", Options{Schema: vs})
	require.NoError(t, err)
	assert.True(t, f.HasHeader())
	f, err = openString(t, "t.csv", "bob,paris\nada,london\n", Options{Schema: vs})
	require.NoError(t, err)
	assert.False(t, f.HasHeader())
}

// numbersFile writes n rows "i,value(i)" with a header.
func numbersFile(t testing.TB, n int, value func(i int) string) string {
	var sb strings.Builder
	sb.WriteString("id,v\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&sb, "%d,%s\n", i, value(i))
	}
	return writeTemp(t, "n.csv", sb.String())
}

func TestInferenceSample(t *testing.T) {
	ctx := context.Background()
	// Integers in the first 1000 rows, decimals later: the spread sample
	// sees the decimals.
	path := numbersFile(t, 20000, func(i int) string {
		if i <= 1000 {
			return fmt.Sprint(i)
		}
		return fmt.Sprintf("%d.25", i)
	})
	f, err := Open(ctx, path, Options{SampleRows: 2000})
	require.NoError(t, err)
	assert.Equal(t, "id:BIGINT, v:DECIMAL(18,2)", schemaString(f.Schema()))
	assert.Greater(t, f.sampled, 1500)
	rows, err := readAll(t, f, []int{1})
	require.NoError(t, err)
	require.Len(t, rows, 20000)
	assert.Equal(t, "1000.00", rows[999][0])
	assert.Equal(t, "20000.25", rows[19999][0])

	// The last rows are always sampled.
	path = numbersFile(t, 20000, func(i int) string {
		if i == 20000 {
			return "x"
		}
		return fmt.Sprint(i)
	})
	f, err = Open(ctx, path, Options{SampleRows: 2000})
	require.NoError(t, err)
	assert.Equal(t, "id:BIGINT, v:VARCHAR", schemaString(f.Schema()))

	// A value outside the sample that does not fit: an error with file,
	// line and column and a hint, never a NULL.
	path = numbersFile(t, 20000, func(i int) string {
		if i == 1500 {
			return "1.5"
		}
		return fmt.Sprint(i)
	})
	f, err = Open(ctx, path, Options{SampleRows: 2000})
	require.NoError(t, err)
	assert.Equal(t, "id:BIGINT, v:BIGINT", schemaString(f.Schema()))
	_, err = readAll(t, f, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, sqlerr.ErrInvalidValue)
	for _, w := range []string{"n.csv", "line 1501", `column "v" (2)`, `cannot parse "1.5" as BIGINT`, "explicit schema"} {
		assert.Contains(t, err.Error(), w)
	}
	// Small files are sampled completely.
	path = numbersFile(t, 3000, func(i int) string {
		if i == 2999 {
			return "1.5"
		}
		return fmt.Sprint(i)
	})
	f, err = Open(ctx, path, Options{SampleRows: 3000})
	require.NoError(t, err)
	assert.Equal(t, "id:BIGINT, v:DECIMAL(18,1)", schemaString(f.Schema()))
}

func TestInferenceQuotedNewlinesSamplesStartOnly(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("id,txt\n")
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&sb, "%d,\"a\nb\"\n", i)
	}
	path := writeTemp(t, "q.csv", sb.String())
	f, err := Open(context.Background(), path, Options{SampleRows: 100})
	require.NoError(t, err)
	assert.False(t, f.splittable)
	f.minChunk = 1
	assert.Len(t, f.Chunks(4), 1)
	assert.Equal(t, "id:BIGINT, txt:VARCHAR", schemaString(f.Schema()))
}

func TestReadAfterFileChanged(t *testing.T) {
	path := writeTemp(t, "a.csv", "a\n1\n2\n")
	f, err := Open(context.Background(), path, Options{})
	require.NoError(t, err)
	require.NoError(t, os.Remove(path))
	_, err = f.NewReader(f.Chunks(1)[0], nil, nil)
	assert.ErrorIs(t, err, sqlerr.ErrIO)
	assert.True(t, errors.Is(err, os.ErrNotExist))
}
