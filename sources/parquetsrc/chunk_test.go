package parquetsrc

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// mixedRecord makes n rows of every type the page decoder converts, each
// twice: nullable with NULLs (every kth row, k depending on the column)
// and required. Values repeat enough for dictionaries to be written, and
// strings vary in length across the 8-byte boundary of short values.
func mixedRecord(mem memory.Allocator, n int, seed uint64) arrow.Record {
	types := []arrow.DataType{
		arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Uint16,
		arrow.PrimitiveTypes.Uint32, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Uint64,
		arrow.PrimitiveTypes.Float32, arrow.PrimitiveTypes.Float64, arrow.FixedWidthTypes.Date32,
		&arrow.Decimal128Type{Precision: 7, Scale: 2}, &arrow.Decimal128Type{Precision: 15, Scale: 2},
		&arrow.Decimal128Type{Precision: 30, Scale: 4}, arrow.BinaryTypes.String, arrow.BinaryTypes.Binary,
		&arrow.TimestampType{Unit: arrow.Millisecond}, &arrow.TimestampType{Unit: arrow.Microsecond},
		&arrow.TimestampType{Unit: arrow.Nanosecond},
	}
	var fields []arrow.Field
	for i, t := range types {
		fields = append(fields,
			arrow.Field{Name: fmt.Sprintf("n%d", i), Type: t, Nullable: true},
			arrow.Field{Name: fmt.Sprintf("r%d", i), Type: t, Nullable: false})
	}
	sc := arrow.NewSchema(fields, nil)
	rng := rand.New(rand.NewPCG(seed, seed+1))
	words := []string{"", "a", "bb", "ccccccc", "dddddddd", "eeeeeeeee", "a longer value of some bytes", "é"}
	return buildRecord(mem, sc, func(b *array.RecordBuilder) {
		for row := 0; row < n; row++ {
			for c := range fields {
				fb := b.Field(c)
				if fields[c].Nullable && row%(2+c%5) == 0 {
					fb.AppendNull()
					continue
				}
				k := rng.IntN(40) // few distinct values: dictionaries
				if rng.IntN(10) == 0 {
					k = rng.IntN(1 << 20) // and some others
				}
				switch fb := fb.(type) {
				case *array.Int8Builder:
					fb.Append(int8(k - 20))
				case *array.Int32Builder:
					fb.Append(int32(k*1000003) * int32(1-2*(k&1)))
				case *array.Uint16Builder:
					fb.Append(uint16(k * 1601))
				case *array.Uint32Builder:
					fb.Append(uint32(k) * 4001 * 1024)
				case *array.Int64Builder:
					fb.Append(int64(k) * -7777777777)
				case *array.Uint64Builder:
					fb.Append(uint64(k) * 1e12)
				case *array.Float32Builder:
					fb.Append(float32(k) / 8)
				case *array.Float64Builder:
					fb.Append(float64(k) * math.Pi)
				case *array.Date32Builder:
					fb.Append(arrow.Date32(k - 1000))
				case *array.Decimal128Builder:
					v := decimal128.FromI64(int64(k%800) * 12345) // fits DECIMAL(7, 2)
					if fields[c].Type.(*arrow.Decimal128Type).Precision > 9 && k&1 == 1 {
						v = v.Negate() // pqarrow rejects negative INT32 decimals under -tags assert
					}
					fb.Append(v)
				case *array.StringBuilder:
					fb.Append(words[k%len(words)] + fmt.Sprint(k/len(words)))
				case *array.BinaryBuilder:
					fb.Append([]byte(words[k%len(words)]))
				case *array.TimestampBuilder:
					fb.Append(arrow.Timestamp(int64(k-20) * 86_399_999)) // a day in ms, under a second in ns
				}
			}
		}
	})
}

// libraryOnly reads every chunk of f with the library's column readers,
// the reference the page decoder is compared with.
func libraryOnly(f *File) {
	for rg := range f.chunks {
		for c := range f.chunks[rg] {
			f.chunks[rg][c].fast = false
		}
	}
}

// readBoth reads every column of path in batches of batch rows, once with
// the page decoder and once with the library's readers, and requires equal
// results. It returns how many chunks the page decoder read.
func readBoth(t *testing.T, path string, batch int) int {
	t.Helper()
	mem := newMem(t)
	read := func(lib bool) ([]arrow.Array, int) {
		f, err := Open(path)
		require.NoError(t, err)
		defer f.Close()
		fast := 0
		for _, rg := range f.chunks {
			for _, c := range rg {
				if c.fast {
					fast++
				}
			}
		}
		if lib {
			libraryOnly(f)
		}
		r, err := f.NewReader(f.AllRowGroups(), allColumns(f), batch, mem)
		require.NoError(t, err)
		defer r.Close()
		recs := readAll(t, r)
		out := make([]arrow.Array, len(allColumns(f)))
		for i := range out {
			parts := make([]arrow.Array, len(recs))
			for j, rec := range recs {
				parts[j] = rec.Column(i)
				assert.Equal(t, f.Schema().Field(i).Type, rec.Column(i).DataType())
			}
			out[i], err = array.Concatenate(parts, mem)
			require.NoError(t, err)
			t.Cleanup(out[i].Release)
		}
		return out, fast
	}
	got, fast := read(false)
	want, _ := read(true)
	for i := range want {
		require.True(t, array.Equal(want[i], got[i]), "column %d:\nwant %v\ngot  %v", i, want[i], got[i])
		require.Equal(t, want[i].NullN(), got[i].NullN(), "column %d", i)
	}
	return fast
}

func TestPageDecoderMatchesLibrary(t *testing.T) {
	codecs := []compress.Compression{compress.Codecs.Snappy, compress.Codecs.Uncompressed, compress.Codecs.Zstd, compress.Codecs.Gzip}
	for _, version := range []parquet.DataPageVersion{parquet.DataPageV1, parquet.DataPageV2} {
		for _, dict := range []bool{true, false} {
			for ci, codec := range codecs {
				name := fmt.Sprintf("v%d/dict=%v/%s", version+1, dict, codec)
				t.Run(name, func(t *testing.T) {
					rec := mixedRecord(newMemFree(), 1500, uint64(ci))
					defer rec.Release()
					path := writeArrow(t, rec,
						parquet.WithDataPageVersion(version),
						parquet.WithDictionaryDefault(dict),
						parquet.WithCompression(codec),
						parquet.WithDataPageSize(500), // many pages, batches across them
						parquet.WithMaxRowGroupLength(600),
						parquet.WithStoreDecimalAsInteger(true))
					fast := readBoth(t, path, 333)
					assert.Equal(t, 3*rec.NumCols(), int64(fast), "every chunk read by the page decoder")
				})
			}
		}
	}
}

func TestPageDecoderDictionaryFallback(t *testing.T) {
	// A dictionary page limit so small that writers fall back to PLAIN
	// pages in the middle of chunks.
	rec := mixedRecord(newMemFree(), 5000, 42)
	defer rec.Release()
	path := writeArrow(t, rec, parquet.WithDictionaryPageSizeLimit(64), parquet.WithDataPageSize(512))
	readBoth(t, path, 1000)
}

func TestPageDecoderOtherEncodings(t *testing.T) {
	// Delta encodings are read by the library: the chunk says so.
	for _, enc := range []parquet.Encoding{parquet.Encodings.DeltaBinaryPacked, parquet.Encodings.DeltaLengthByteArray, parquet.Encodings.DeltaByteArray} {
		t.Run(enc.String(), func(t *testing.T) {
			rec := genRecord(newMemFree(), 2000)
			defer rec.Release()
			col := "a"
			if enc != parquet.Encodings.DeltaBinaryPacked {
				col = "b"
			}
			path := writeArrow(t, rec, parquet.WithDictionaryDefault(false),
				parquet.WithEncodingFor(col, enc), parquet.WithMaxRowGroupLength(700))
			fast := readBoth(t, path, 256)
			assert.Equal(t, 3*(4-1), fast, "all but the delta-encoded column")
		})
	}
}

func TestPageDecoderReuse(t *testing.T) {
	// Row groups whose dictionaries shrink and grow, read by one Reader and
	// by a Reader per row group (their decoders come from the pool), in
	// batches that end exactly at, before and after page ends.
	mem := newMemFree()
	var recs []arrow.Record
	for _, n := range []int{1500, 10, 700, 1, 300} {
		recs = append(recs, mixedRecord(mem, n, uint64(n)))
	}
	tbl := array.NewTableFromRecords(recs[0].Schema(), recs)
	defer tbl.Release()
	for _, r := range recs {
		r.Release()
	}
	rdr := array.NewTableReader(tbl, tbl.NumRows())
	defer rdr.Release()
	rdr.Next()
	all := rdr.Record()
	for _, rgRows := range []int64{1001, 97} {
		path := writeArrow(t, all, parquet.WithMaxRowGroupLength(rgRows), parquet.WithDataPageSize(1024))
		for _, batch := range []int{3, 97, 4096} {
			t.Run(fmt.Sprintf("rg=%d/batch=%d", rgRows, batch), func(t *testing.T) {
				readBoth(t, path, batch)
				perGroup(t, path, batch)
			})
		}
	}
}

// perGroup reads every row group of path with a Reader of its own and
// compares with one Reader over them all.
func perGroup(t *testing.T, path string, batch int) {
	mem := newMem(t)
	f, err := Open(path)
	require.NoError(t, err)
	defer f.Close()
	whole, err := f.NewReader(f.AllRowGroups(), allColumns(f), batch, mem)
	require.NoError(t, err)
	defer whole.Close()
	for rg := 0; rg < f.NumRowGroups(); rg++ {
		r, err := f.NewReader([]int{rg}, allColumns(f), batch, mem)
		require.NoError(t, err)
		for {
			got, err := r.Next(t.Context())
			require.NoError(t, err)
			if got == nil {
				break
			}
			want, err := whole.Next(t.Context())
			require.NoError(t, err)
			require.True(t, array.RecordEqual(want, got), "row group %d", rg)
			want.Release()
			got.Release()
		}
		r.Close()
	}
	rec, err := whole.Next(t.Context())
	require.NoError(t, err)
	require.Nil(t, rec)
}

func TestStringDictionaryWidths(t *testing.T) {
	// Dictionaries whose longest value sits on each side of the 8, 16 and
	// 32-byte store sizes, with NULLs and empty strings.
	for _, maxLen := range []int{0, 1, 8, 9, 16, 17, 32, 33, 100} {
		t.Run(fmt.Sprint(maxLen), func(t *testing.T) {
			mem := newMem(t)
			sc := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String, Nullable: true}}, nil)
			var want []any
			for i := 0; i < 3000; i++ {
				if i%11 == 0 {
					want = append(want, nil)
					continue
				}
				l := (i * 7) % (maxLen + 1)
				v := make([]byte, l)
				for k := range v {
					v[k] = byte('a' + (i+k)%26)
				}
				want = append(want, string(v[:l]))
			}
			in := makeArray(t, mem, arrow.BinaryTypes.String, want)
			rec := array.NewRecord(sc, []arrow.Array{in}, int64(in.Len()))
			in.Release()
			path := writeArrow(t, rec, parquet.WithDataPageSize(2000))
			rec.Release()
			assert.Equal(t, 1, readBoth(t, path, 700))
			got, _ := readColumns(t, path, nil, mem)
			exp := makeArray(t, mem, types.StringType.Arrow(), want)
			defer exp.Release()
			assert.True(t, array.Equal(exp, got[0]))
		})
	}
}
