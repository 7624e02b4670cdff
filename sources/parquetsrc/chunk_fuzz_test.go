package parquetsrc

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/stretchr/testify/require"
)

// FuzzChunkDecoder decodes arbitrary bytes as the column chunks of every
// column type, without the Reader's recover: the page decoder must turn
// any input into values or an error, never a panic. The seeds are the real
// chunks of small files (dictionary and plain, v1 and v2 pages,
// uncompressed so that mutations reach the decoders).
func FuzzChunkDecoder(f *testing.F) {
	var cols []column
	for i, opts := range [][]parquet.WriterProperty{
		{parquet.WithDictionaryDefault(true)},
		{parquet.WithDictionaryDefault(false), parquet.WithDataPageVersion(parquet.DataPageV2)},
	} {
		rec := mixedRecord(memory.NewGoAllocator(), 40, uint64(i))
		path := writeArrow(f, rec, append(opts, parquet.WithCompression(compress.Codecs.Uncompressed),
			parquet.WithDataPageSize(100), parquet.WithStoreDecimalAsInteger(i == 0))...)
		rec.Release()
		pf, err := Open(path)
		require.NoError(f, err)
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		for c, info := range pf.chunks[0] {
			f.Add(uint8(len(cols)+c), data[info.start:info.start+info.length])
		}
		cols = append(cols, pf.cols...)
		require.NoError(f, pf.Close())
	}
	f.Fuzz(func(t *testing.T, which uint8, chunk []byte) {
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		c := &cols[int(which)%len(cols)]
		d := &chunkDecoder{c: c, maxDef: c.descr.MaxDefinitionLevel()}
		d.start(bytes.NewReader(chunk), 0, int64(len(chunk)), pageCodec{}, nil, chunkIO{}, nil)
		for _, n := range []int{1, 17, 100, 1000} {
			arr, err := d.read(n, mem)
			if err != nil {
				return
			}
			arr.Release()
		}
	})
}

// TestChunkDecoderTruncated cuts real chunks at every length: each cut
// must give an error (or, cut after the values read, nothing), never a
// panic, and the allocator must be back at zero.
func TestChunkDecoderTruncated(t *testing.T) {
	rec := mixedRecord(memory.NewGoAllocator(), 60, 9)
	defer rec.Release()
	path := writeArrow(t, rec, parquet.WithDataPageSize(200))
	pf, err := Open(path)
	require.NoError(t, err)
	defer pf.Close()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	mem := newMem(t)
	for ci, info := range pf.chunks[0] {
		chunk := data[info.start : info.start+info.length]
		for cut := 0; cut < len(chunk); cut++ {
			d := &chunkDecoder{c: &pf.cols[ci], maxDef: pf.cols[ci].descr.MaxDefinitionLevel()}
			d.start(io.NewSectionReader(bytes.NewReader(chunk[:cut]), 0, int64(cut)), 0, int64(cut), info.codec, nil, chunkIO{}, nil)
			arr, err := d.read(60, mem)
			require.Error(t, err, "column %d cut at %d of %d", ci, cut, len(chunk))
			require.Nil(t, arr)
		}
	}
}
