package csvsrc

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// TestReadOptions covers the options read_csv maps onto: skipped lines,
// another quote, an escape character, spellings of NULL. The expected rows
// are DuckDB 1.5.6's for the same file and options.
func TestReadOptions(t *testing.T) {
	tests := []struct {
		name    string
		content string
		opts    Options
		schema  string
		rows    [][]string
	}{
		{
			name:    "skip lines before the header",
			content: "junk, \"not closed\nmore junk\na|b\n1|x\n",
			opts:    Options{Skip: 2, Delimiter: '|'},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "x"}},
		},
		{
			name:    "skip more lines than the file has",
			content: "a,b\n1,2\n",
			opts:    Options{Skip: 5, Schema: schemaOf("a", types.Int64Type, "b", types.Int64Type)},
			schema:  "a:BIGINT, b:BIGINT",
		},
		{
			name:    "skip then forced header",
			content: "a,b\n1,x\n2,y\n",
			opts:    Options{Skip: 1, Header: Yes},
			schema:  "1:BIGINT, x:VARCHAR",
			rows:    [][]string{{"2", "y"}},
		},
		{
			name:    "backslash escape",
			content: "a,b\n1,\"q\\\"r\"\n2,\"x\\ny\"\n3,\"p\\\\q\"\n4,\"multi\nline\"\n",
			opts:    Options{Escape: '\\'},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", `q"r`}, {"2", "xny"}, {"3", `p\q`}, {"4", "multi\nline"}},
		},
		{
			name:    "escaped delimiter and newline inside quotes",
			content: "a,b\n1,\"x\\,y\\\nz\"\n",
			opts:    Options{Escape: '\\'},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "x,y\nz"}},
		},
		{
			name:    "single quote",
			content: "a,b\n1,'x,y'\n2,'it''s'\n",
			opts:    Options{Quote: '\''},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "x,y"}, {"2", "it's"}},
		},
		{
			name:    "no quoting",
			content: "a,b\n1,\"x\n",
			opts:    Options{NoQuote: true},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", `"x`}},
		},
		{
			name:    "null spelled NA only",
			content: "a,b\n1,\nNA,x\n",
			opts:    Options{NullValues: []string{"NA"}},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", ""}, {"NULL", "x"}},
		},
		{
			name:    "two null spellings",
			content: "a,b\n1,-\nNA,x\n",
			opts:    Options{NullValues: []string{"NA", "-"}},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "NULL"}, {"NULL", "x"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := openString(t, "a.csv", tt.content, tt.opts)
			require.NoError(t, err)
			assert.Equal(t, tt.schema, schemaString(f.Schema()))
			rows, err := readAll(t, f, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.rows, rows)
		})
	}
}

// TestSkipCountsLinesInErrors: a bad value's line number counts the
// skipped lines, so that it is the line an editor shows.
func TestSkipCountsLinesInErrors(t *testing.T) {
	f, err := openString(t, "a.csv", "x\ny\na\n1\n2\n", Options{Skip: 2, Schema: schemaOf("a", types.Int64Type), Header: Yes})
	require.NoError(t, err)
	_, err = readAll(t, f, nil)
	require.NoError(t, err)

	f, err = openString(t, "a.csv", "x\ny\na\n1\nbad\n", Options{Skip: 2, Header: Yes, Schema: schemaOf("a", types.Int64Type)})
	require.NoError(t, err)
	_, err = readAll(t, f, nil)
	require.ErrorIs(t, err, sqlerr.ErrInvalidValue)
	assert.Contains(t, err.Error(), "line 5")
}

func TestOptionErrors(t *testing.T) {
	for _, o := range []Options{
		{Skip: -1},
		{Escape: ','},
		{Escape: '\n'},
	} {
		_, err := openString(t, "a.csv", "a\n1\n", o)
		assert.ErrorIs(t, err, sqlerr.ErrInvalidSetting, "%+v", o)
	}
	// An escape at the end of the file leaves the quoted field open.
	f, err := openString(t, "a.csv", "a,b\n1,x\n", Options{Escape: '\\'})
	require.NoError(t, err)
	_, err = Open(context.Background(), writeTemp(t, "b.csv", "a,b\n1,\"x\\"), Options{Escape: '\\', Schema: f.Schema()})
	require.ErrorIs(t, err, sqlerr.ErrInvalidValue)
	assert.Contains(t, err.Error(), "unterminated")
}
