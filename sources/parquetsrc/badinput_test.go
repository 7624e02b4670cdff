package parquetsrc

import (
	"context"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
)

// scanAll opens path and reads every column; it returns the first error.
// A panic fails the test (it is not recovered here).
func scanAll(t *testing.T, path string) error {
	mem := newMem(t)
	f, err := Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := f.NewReader(f.AllRowGroups(), allColumns(f), 100, mem)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		rec, err := r.Next(context.Background())
		if err != nil || rec == nil {
			return err
		}
		rec.Release()
	}
}

func writeBytes(t *testing.T, name string, b []byte) string {
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, b, 0o644))
	return path
}

func TestBadInput(t *testing.T) {
	good, _ := writeGen(t, 3000, 1000)
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(rng.IntN(256))
	}
	// Garbage between valid magic numbers gets past the first checks.
	magicGarbage := append(append([]byte("PAR1"), garbage...), []byte("\x10\x00\x00\x00PAR1")...)

	cases := []struct {
		name string
		path string
		want string
	}{
		{"missing", filepath.Join(t.TempDir(), "nope.parquet"), "no such file"},
		{"directory", t.TempDir(), "directory"},
		{"empty", writeBytes(t, "empty.parquet", nil), "empty"},
		{"tiny", writeBytes(t, "tiny.parquet", []byte("PAR1")), ""},
		{"footer cut", writeBytes(t, "cut.parquet", data[:len(data)-10]), ""},
		{"half", writeBytes(t, "half.parquet", data[:len(data)/2]), ""},
		{"garbage", writeBytes(t, "garbage.parquet", garbage), ""},
		{"garbage with magic", writeBytes(t, "magic.parquet", magicGarbage), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := scanAll(t, tc.path)
			t.Log(err)
			require.Error(t, err)
			assert.ErrorIs(t, err, sqlerr.ErrIO)
			assert.Contains(t, err.Error(), tc.path)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestCorruptPage(t *testing.T) {
	good, _ := writeGen(t, 3000, 1000)
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	f, err := Open(good)
	require.NoError(t, err)
	// The first page header of column b in row group 1.
	cc, err := f.meta.RowGroup(1).ColumnChunk(1)
	require.NoError(t, err)
	start := cc.DataPageOffset()
	if cc.HasDictionaryPage() {
		start = cc.DictionaryPageOffset()
	}
	require.NoError(t, f.Close())

	t.Run("header overwritten", func(t *testing.T) {
		bad := append([]byte(nil), data...)
		for i := start; i < start+24; i++ {
			bad[i] = 0xff
		}
		path := writeBytes(t, "bad.parquet", bad)
		err := scanAll(t, path)
		t.Log(err)
		require.Error(t, err)
		assert.ErrorIs(t, err, sqlerr.ErrIO)
		assert.Contains(t, err.Error(), path)
		assert.Contains(t, err.Error(), "row group 1")
	})
	t.Run("compressed data flipped", func(t *testing.T) {
		// Flipping the body of a snappy page makes the decoder fail (the
		// library panics; the reader must turn that into an error).
		bad := append([]byte(nil), data...)
		for i := start + 40; i < start+cc.TotalCompressedSize()-8 && i < start+200; i++ {
			bad[i] ^= 0xa5
		}
		path := writeBytes(t, "flip.parquet", bad)
		err := scanAll(t, path)
		t.Log(err)
		require.Error(t, err)
		assert.ErrorIs(t, err, sqlerr.ErrIO)
		assert.Contains(t, err.Error(), path)
		assert.Contains(t, err.Error(), "row group 1")
	})
	// The footer (its length precedes the 4-byte trailer) and the whole
	// file.
	footerLen := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	for _, region := range []struct {
		name  string
		start int
	}{{"footer", len(data) - 8 - footerLen}, {"file", 0}} {
		t.Run("random flips never panic in "+region.name, func(t *testing.T) {
			flipScan(t, data, region.start)
		})
	}
}

// flipScan damages a few bytes at random after start, many times, and scans
// each result: it must either fail with an error naming the file or (damage
// in values) succeed; never panic, exhaust memory or leak.
func flipScan(t *testing.T, data []byte, start int) {
	rng := rand.New(rand.NewPCG(3, uint64(start)))
	for k := 0; k < flipRounds; k++ {
		bad := append([]byte(nil), data...)
		pos, n := start+rng.IntN(len(bad)-8-start), 1+rng.IntN(8)
		for i := pos; i < pos+n; i++ {
			bad[i] ^= byte(1 + rng.IntN(255))
		}
		path := writeBytes(t, "rnd.parquet", bad)
		if err := scanAll(t, path); err != nil {
			assert.Contains(t, err.Error(), path, "flip at %d", pos)
		}
	}
}

// flipRounds is kept small for CI; raise it by hand to fuzz longer.
const flipRounds = 60
