package tpchgen

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGenerateParquet writes SF 0.01 and reads every file back with pqarrow:
// row counts, types, row group sizes and values must match the generator.
func TestGenerateParquet(t *testing.T) {
	for _, parallel := range []bool{false, true} {
		t.Run(fmt.Sprintf("parallel=%v", parallel), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			dir := t.TempDir()
			var spawn func(string, func(context.Context) error)
			wait := func() error { return nil }
			if parallel {
				spawn, wait = testGroup(context.Background())
			}
			// Small batches: many records, so recycled buffers are reused.
			st, err := Generate(context.Background(), dir, Options{SF: 0.01, Mem: mem, BatchSize: 1000}, "parquet", spawn)
			require.NoError(t, err)
			require.NoError(t, wait())
			require.Len(t, st.Tables, 8)
			var total int64
			for i, ts := range st.Tables {
				require.Equal(t, Tables()[i], ts.Table)
				require.Equal(t, filepath.Join(dir, ts.Table+".parquet"), ts.Path)
				want, err := RowCount(ts.Table, 0.01)
				require.NoError(t, err)
				require.Equal(t, want, ts.Rows, ts.Table)
				fi, err := os.Stat(ts.Path)
				require.NoError(t, err)
				require.Equal(t, fi.Size(), ts.Bytes)
				total += ts.Rows
			}
			require.Equal(t, total, st.Rows)
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			require.Len(t, entries, 8, "no temporary files left")
			if parallel {
				return // the content check below needs to run once
			}
			for _, name := range Tables() {
				checkParquetFile(t, filepath.Join(dir, name+".parquet"), name)
			}
		})
	}
}

func checkParquetFile(t *testing.T, path, name string) {
	rdr, err := file.OpenParquetFile(path, false)
	require.NoError(t, err)
	defer rdr.Close()
	for i := 0; i < rdr.NumRowGroups()-1; i++ {
		require.EqualValues(t, rowGroupRows, rdr.RowGroup(i).NumRows(), "%s row group %d", name, i)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 4096}, memory.NewGoAllocator())
	require.NoError(t, err)
	tbl, err := fr.ReadTable(context.Background())
	require.NoError(t, err)
	defer tbl.Release()

	want, err := Schema(name)
	require.NoError(t, err)
	require.EqualValues(t, want.NumFields(), tbl.NumCols())
	for i, f := range want.Fields() {
		got := tbl.Schema().Field(i)
		require.Equal(t, f.Name, got.Name)
		require.True(t, arrow.TypeEqual(f.Type, got.Type), "%s: read back as %s", f.Name, got.Type)
	}
	// Values: the file holds exactly what the generator produces.
	gen := collect(t, name, Options{SF: 0.01}, 0, 1)
	rd := array.NewTableReader(tbl, 8192)
	defer rd.Release()
	back := &tableData{ints: map[string][]int64{}, dates: map[string][]int32{}, strs: map[string][]string{}}
	for rd.Next() {
		rec := rd.Record()
		// Read-back fields carry metadata; compare by value only.
		back.add(t, rec)
	}
	back.batches = gen.batches
	require.Equal(t, gen, back, name)
}

func TestGenerateCSV(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	spawn, wait := testGroup(context.Background())
	st, err := Generate(context.Background(), dir, Options{SF: 0.01, Mem: mem}, "CSV", spawn)
	require.NoError(t, err)
	require.NoError(t, wait())
	for _, ts := range st.Tables {
		f, err := os.Open(filepath.Join(dir, ts.Table+".csv"))
		require.NoError(t, err)
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		require.NoError(t, err, ts.Table)
		schema, err := Schema(ts.Table)
		require.NoError(t, err)
		header := make([]string, schema.NumFields())
		for i, fd := range schema.Fields() {
			header[i] = fd.Name
		}
		require.Equal(t, header, recs[0])
		require.EqualValues(t, ts.Rows, len(recs)-1, ts.Table)
	}
	// Spot check: the lineitem CSV holds the generator's values.
	f, err := os.Open(filepath.Join(dir, "lineitem.csv"))
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	gen := collect(t, "lineitem", Options{SF: 0.01}, 0, 1)
	for _, i := range []int{0, 1, 777, gen.rows - 1} {
		row := recs[i+1]
		assert.Equal(t, fmt.Sprint(gen.ints["l_orderkey"][i]), row[0])
		assert.Equal(t, string(appendCents(nil, gen.ints["l_extendedprice"][i])), row[5])
		assert.Equal(t, string(appendDate(nil, gen.dates["l_shipdate"][i])), row[10])
		assert.Equal(t, gen.strs["l_comment"][i], row[15])
	}
}

func TestGenerateBadArguments(t *testing.T) {
	dir := t.TempDir()
	_, err := Generate(context.Background(), dir, Options{SF: 0.01}, "xml", nil)
	require.Error(t, err)
	_, err = Generate(context.Background(), dir, Options{SF: 0}, "csv", nil)
	require.Error(t, err)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Empty(t, entries)
}

func TestCSVFormatting(t *testing.T) {
	for _, tc := range []struct {
		cents int64
		want  string
	}{{0, "0.00"}, {5, "0.05"}, {-5, "-0.05"}, {-99999, "-999.99"}, {123456, "1234.56"}, {100, "1.00"}} {
		assert.Equal(t, tc.want, string(appendCents(nil, tc.cents)))
	}
	for _, tc := range []struct{ in, want string }{
		{"plain", "plain"}, {"a, b", `"a, b"`}, {`say "hi"`, `"say ""hi"""`},
		{" lead", `" lead"`}, {"trail ", `"trail "`}, {"", `""`}, {"two\nlines", "\"two\nlines\""},
	} {
		assert.Equal(t, tc.want, string(appendCSVField(nil, tc.in)))
	}
	dt := newDateText()
	for _, d := range []int32{startDate, currentDate, endDate, 0, dateTextLast + 1} {
		assert.Equal(t, string(appendDate(nil, d)), string(dt.append(nil, d)))
	}
	assert.Equal(t, "1992-01-01", string(dt.append(nil, startDate)))
	assert.Equal(t, "1995-06-17", string(dt.append(nil, currentDate)))
	assert.Equal(t, "1998-12-31", string(dt.append(nil, endDate)))
	assert.Equal(t, "1998-08-02", string(dt.append(nil, lastOrderDate)))
}
