package ipcsrc

import (
	"bytes"
	"context"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
)

// scanAll opens path and reads every column, returning the first error.
func scanAll(t *testing.T, path string) error {
	mem := newMem(t)
	f, err := Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := f.NewReader(f.AllRecordBatches(), allColumns(f), 100, mem)
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
	good := genBatches(t, 300, 300)
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(1, 2))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(rng.IntN(256))
	}
	withMagic := append(append([]byte("ARROW1\x00\x00"), garbage...), []byte("\x00\x01\x00\x00ARROW1")...)
	cases := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(t.TempDir(), "nope.arrow"), "no such file"},
		{"directory", t.TempDir(), "directory"},
		{"empty", writeBytes(t, "empty.arrow", nil), "empty"},
		{"footer cut", writeBytes(t, "cut.arrow", data[:len(data)-10]), ""},
		{"half", writeBytes(t, "half.arrow", data[:len(data)/2]), ""},
		{"garbage", writeBytes(t, "garbage.arrow", garbage), ""},
		{"garbage with magic", writeBytes(t, "magic.arrow", withMagic), ""},
		{"parquet", writeBytes(t, "p.arrow", append(append([]byte("PAR1"), garbage...), "PAR1"...)), ""},
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

func TestCorruptBody(t *testing.T) {
	good := genBatches(t, 300, 300)
	data, err := os.ReadFile(good)
	require.NoError(t, err)
	t.Run("batch metadata overwritten", func(t *testing.T) {
		// Messages start with a 0xFFFFFFFF continuation token: the first
		// is the schema, the second the first record batch.
		cont := []byte{0xff, 0xff, 0xff, 0xff}
		first := bytes.Index(data, cont)
		second := first + 4 + bytes.Index(data[first+4:], cont)
		require.Greater(t, second, first)
		bad := append([]byte(nil), data...)
		for i := second + 8; i < second+72; i++ {
			bad[i] = 0x7f
		}
		path := writeBytes(t, "bad.arrow", bad)
		err := scanAll(t, path)
		t.Log(err)
		require.Error(t, err)
		assert.ErrorIs(t, err, sqlerr.ErrIO)
		assert.Contains(t, err.Error(), path)
	})
	t.Run("string offsets out of order", func(t *testing.T) {
		// Column b holds "r0", "r1", ...: its offsets start 0, 2, 4, 6.
		offs := []byte{0, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0}
		at := bytes.Index(data, offs)
		require.Positive(t, at)
		bad := append([]byte(nil), data...)
		binary.LittleEndian.PutUint32(bad[at+8:], 1_000_000)
		path := writeBytes(t, "offsets.arrow", bad)
		err := scanAll(t, path)
		t.Log(err)
		require.Error(t, err)
		assert.ErrorIs(t, err, sqlerr.ErrIO)
		assert.Contains(t, err.Error(), path)
		assert.Contains(t, err.Error(), `column "b"`)
	})
	// The footer flatbuffer (its length precedes the 6-byte trailer) and
	// the whole file.
	footerLen := int(binary.LittleEndian.Uint32(data[len(data)-10:]))
	for _, region := range []struct {
		name  string
		start int
	}{{"footer", len(data) - 10 - footerLen}, {"file", 0}} {
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
		path := writeBytes(t, "rnd.arrow", bad)
		if err := scanAll(t, path); err != nil {
			assert.Contains(t, err.Error(), path, "flip at %d", pos)
		}
	}
}

// flipRounds is kept small for CI; raise it by hand to fuzz longer.
const flipRounds = 100

func TestBatchAlloc(t *testing.T) {
	mem := newMem(t)
	a := newBatchAlloc(mem, 1000)
	assert.Equal(t, 1<<30, a.limit)
	assert.PanicsWithValue(t, errTooLarge(1<<31), func() { a.Allocate(1 << 31) })
	assert.Panics(t, func() { a.Allocate(-1) })

	kept := memory.NewResizableBuffer(a)
	a.track()
	kept.Resize(100)
	a.keep()
	a.track()
	lost := memory.NewResizableBuffer(a)
	lost.Resize(200)
	lost.Resize(5000) // reallocation is tracked too
	freed := memory.NewResizableBuffer(a)
	freed.Resize(300)
	freed.Release()
	a.freeAll() // frees "lost", which nobody will release
	assert.Equal(t, 128, mem.CurrentAlloc())
	kept.Release()
}
