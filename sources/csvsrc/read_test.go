package csvsrc

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadBasic(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string
		opts    Options
		schema  string
		rows    [][]string
	}{
		{
			name:    "header and types",
			file:    "a.csv",
			content: "id,price,d,ok,name,x\n1,12.5,2024-02-29,true,bob,1e3\n2,-0.25,1999-01-01,FALSE,,2.5\n",
			schema:  "id:BIGINT, price:DECIMAL(18,2), d:DATE, ok:BOOLEAN, name:VARCHAR, x:DOUBLE",
			rows: [][]string{
				{"1", "12.50", "2024-02-29", "true", "bob", "1000"},
				{"2", "-0.25", "1999-01-01", "false", "NULL", "2.5"},
			},
		},
		{
			name:    "timestamps",
			file:    "a.csv",
			content: "ts,mixed,d\n2024-01-02 03:04:05,2024-01-02,2024-01-02\n2024-01-02T03:04:05.5,2024-01-03 10:00:00,1969-12-31\n1969-12-31 23:59:59.999999,,2024-02-29\n",
			schema:  "ts:TIMESTAMP, mixed:TIMESTAMP, d:DATE",
			rows: [][]string{
				{"2024-01-02 03:04:05", "2024-01-02 00:00:00", "2024-01-02"},
				{"2024-01-02 03:04:05.5", "2024-01-03 10:00:00", "1969-12-31"},
				{"1969-12-31 23:59:59.999999", "NULL", "2024-02-29"},
			},
		},
		{
			name:    "no header",
			file:    "a.csv",
			content: "1,a\n2,b\n",
			schema:  "column0:BIGINT, column1:VARCHAR",
			rows:    [][]string{{"1", "a"}, {"2", "b"}},
		},
		{
			name:    "forced header",
			file:    "a.csv",
			content: "1,a\n2,b\n",
			opts:    Options{Header: Yes},
			schema:  "1:BIGINT, a:VARCHAR",
			rows:    [][]string{{"2", "b"}},
		},
		{
			name:    "forced no header",
			file:    "a.csv",
			content: "a,b\n1,2\n",
			opts:    Options{Header: No},
			schema:  "column0:VARCHAR, column1:VARCHAR",
			rows:    [][]string{{"a", "b"}, {"1", "2"}},
		},
		{
			name:    "string header detected",
			file:    "a.csv",
			content: "first,last\nada,lovelace\nalan,turing\n",
			schema:  "first:VARCHAR, last:VARCHAR",
			rows:    [][]string{{"ada", "lovelace"}, {"alan", "turing"}},
		},
		{
			name:    "column names",
			file:    "a.csv",
			content: "1,2\n",
			opts:    Options{ColumnNames: []string{"a", "b"}},
			schema:  "a:BIGINT, b:BIGINT",
			rows:    [][]string{{"1", "2"}},
		},
		{
			name:    "duplicate and empty header names",
			file:    "a.csv",
			content: "a,a,,x\n1,2,3,4\n",
			schema:  "a:BIGINT, a_1:BIGINT, column2:BIGINT, x:BIGINT",
			rows:    [][]string{{"1", "2", "3", "4"}},
		},
		{
			name:    "tbl trailing delimiter",
			file:    "region.tbl",
			content: "0|AFRICA|lar deposits|\n1|AMERICA|hs use ironic|\n",
			schema:  "column0:BIGINT, column1:VARCHAR, column2:VARCHAR",
			rows:    [][]string{{"0", "AFRICA", "lar deposits"}, {"1", "AMERICA", "hs use ironic"}},
		},
		{
			name:    "trailing delimiter with empty last value",
			file:    "x.tbl",
			content: "1|a||\n2|b|c|\n",
			schema:  "column0:BIGINT, column1:VARCHAR, column2:VARCHAR",
			rows:    [][]string{{"1", "a", "NULL"}, {"2", "b", "c"}},
		},
		{
			name:    "trailing delimiter off keeps the empty column",
			file:    "x.tbl",
			content: "1|a|\n2|b|\n",
			opts:    Options{TrailingDelimiter: No},
			schema:  "column0:BIGINT, column1:VARCHAR, column2:VARCHAR",
			rows:    [][]string{{"1", "a", "NULL"}, {"2", "b", "NULL"}},
		},
		{
			name:    "CRLF",
			file:    "a.csv",
			content: "a,b\r\n1,x\r\n2,\"y\r\nz\"\r\n3,\r\n",
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "x"}, {"2", "y\r\nz"}, {"3", "NULL"}},
		},
		{
			name:    "no final newline",
			file:    "a.csv",
			content: "a,b\n1,x\n2,y",
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "x"}, {"2", "y"}},
		},
		{
			name:    "quoting",
			file:    "a.csv",
			content: "a,b\n1,\"x,y\"\n2,\"say \"\"hi\"\"\"\n3,\"line1\nline2\"\n4,\"\"\n5,\n6,\"\"\"\"\n",
			schema:  "a:BIGINT, b:VARCHAR",
			rows: [][]string{
				{"1", "x,y"}, {"2", `say "hi"`}, {"3", "line1\nline2"}, {"4", ""}, {"5", "NULL"}, {"6", `"`},
			},
		},
		{
			name:    "quoted numbers",
			file:    "a.csv",
			content: "a,b\n\"1\",\"2.5\"\n\"3\",\"4\"\n",
			schema:  "a:BIGINT, b:DECIMAL(18,1)",
			rows:    [][]string{{"1", "2.5"}, {"3", "4.0"}},
		},
		{
			name:    "null spellings",
			file:    "a.csv",
			content: "a,b\n1,NULL\nNULL,x\n\"NULL\",\n",
			opts:    Options{NullValues: []string{"NULL", ""}},
			schema:  "a:VARCHAR, b:VARCHAR",
			rows:    [][]string{{"1", "NULL"}, {"NULL", "x"}, {"NULL", "NULL"}},
		},
		{
			name:    "no null values at all",
			file:    "a.csv",
			content: "a,b\nx,\n",
			opts:    Options{NullValues: []string{}},
			schema:  "a:VARCHAR, b:VARCHAR",
			rows:    [][]string{{"x", ""}},
		},
		{
			name:    "empty lines skipped",
			file:    "a.csv",
			content: "a,b\n1,2\n\n3,4\n\n",
			schema:  "a:BIGINT, b:BIGINT",
			rows:    [][]string{{"1", "2"}, {"3", "4"}},
		},
		{
			name:    "one column with nulls",
			file:    "a.csv",
			content: "a\n1\n\n3\n",
			schema:  "a:BIGINT",
			rows:    [][]string{{"1"}, {"NULL"}, {"3"}},
		},
		{
			name:    "header only",
			file:    "a.csv",
			content: "a,b,c\n",
			schema:  "a:VARCHAR, b:VARCHAR, c:VARCHAR",
		},
		{
			name:    "semicolon",
			file:    "a.csv",
			content: "a;b\n1;2,5\n",
			opts:    Options{Delimiter: ';'},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "2,5"}},
		},
		{
			name:    "no quoting",
			file:    "a.csv",
			content: "a,b\n1,\"x\n",
			opts:    Options{NoQuote: true},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "\"x"}},
		},
		{
			name:    "single quote character",
			file:    "a.csv",
			content: "a,b\n1,'x,y'\n",
			opts:    Options{Quote: '\''},
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "x,y"}},
		},
		{
			name:    "all null column is varchar",
			file:    "a.csv",
			content: "a,b\n1,\n2,\n",
			schema:  "a:BIGINT, b:VARCHAR",
			rows:    [][]string{{"1", "NULL"}, {"2", "NULL"}},
		},
		{
			name:    "inference lattice",
			file:    "a.csv",
			content: "i,d,f,s,b,mix,big,nan\n1,1,1,2024-01-01,true,1,99999999999999999999,nan\n2,2.25,1e2,2024-01-02,false,true,1,1\n",
			schema:  "i:BIGINT, d:DECIMAL(18,2), f:DOUBLE, s:DATE, b:BOOLEAN, mix:VARCHAR, big:DECIMAL(38,0), nan:DOUBLE",
			rows: [][]string{
				{"1", "1.00", "1", "2024-01-01", "true", "1", "99999999999999999999", "nan"},
				{"2", "2.25", "100", "2024-01-02", "false", "true", "1", "1"},
			},
		},
		{
			name:    "more than 38 digits is double",
			file:    "a.csv",
			content: "a\n1234567890123456789012345678901234567890.5\n",
			opts:    Options{Header: Yes},
			schema:  "a:DOUBLE",
			rows:    [][]string{{"1.2345678901234568e+39"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := openString(t, tt.file, tt.content, tt.opts)
			require.NoError(t, err)
			assert.Equal(t, tt.schema, schemaString(f.Schema()))
			rows, err := readAll(t, f, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.rows, rows)
		})
	}
}

func TestTrailingDelimiterDetection(t *testing.T) {
	tests := []struct {
		name, file, content string
		opts                Options
		schema              string
		rows                [][]string
	}{
		{"header without, rows with", "x.tbl", "a|b|c\n1|2|3|\n4|5|6|\n", Options{}, "a:BIGINT, b:BIGINT, c:BIGINT",
			[][]string{{"1", "2", "3"}, {"4", "5", "6"}}},
		{"header with empty last column", "x.csv", "a,b\n1,\n2,\n", Options{}, "a:BIGINT, b:VARCHAR",
			[][]string{{"1", "NULL"}, {"2", "NULL"}}},
		{"some lines without", "x.tbl", "1|2|\n3|4\n", Options{TrailingDelimiter: Yes}, "column0:BIGINT, column1:BIGINT",
			[][]string{{"1", "2"}, {"3", "4"}}},
		{"schema", "x.tbl", "1|2|\n3|4|\n", Options{Schema: schemaOf("a", int64T, "b", int64T)}, "a:BIGINT, b:BIGINT",
			[][]string{{"1", "2"}, {"3", "4"}}},
		{"headerless all-empty last column kept", "x.csv", "1,\n2,\n", Options{TrailingDelimiter: No}, "column0:BIGINT, column1:VARCHAR",
			[][]string{{"1", "NULL"}, {"2", "NULL"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := openString(t, tt.file, tt.content, tt.opts)
			require.NoError(t, err)
			assert.Equal(t, tt.schema, schemaString(f.Schema()))
			rows, err := readAll(t, f, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.rows, rows)
		})
	}
}
