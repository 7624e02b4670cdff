package parquetsrc

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"github.com/golang/snappy"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodePieces decodes block into a buffer of its announced length, piece
// bytes at a time.
func decodePieces(block []byte, piece int) ([]byte, error) {
	n, _, err := snappyLen(block)
	if err != nil {
		return nil, err
	}
	dst := make([]byte, n)
	var z snappyBlock
	if err := z.reset(dst, block); err != nil {
		return nil, err
	}
	for !z.done() {
		if err := z.step(piece); err != nil {
			return nil, err
		}
	}
	return dst, nil
}

// snappyInputs are data shaped like Parquet pages and like the corners of
// the format: literals of every length class, copies with 1-, 2- and
// 4-byte offsets, and overlapping copies of short periods.
func snappyInputs() map[string][]byte {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	period := func(p, n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i%p + 1)
		}
		return b
	}
	int64s := make([]byte, 8*100_000) // plain INT64 prices: zero high bytes
	for i := range 100_000 {
		binary.LittleEndian.PutUint64(int64s[8*i:], uint64(rng.IntN(10_000_000)))
	}
	text := bytes.Repeat([]byte("carefully final deposits sleep quickly. "), 5000)
	mixed := append(append(random(70_000), text[:90_000]...), random(300)...)
	far := append(append(random(1<<16+10), random(50)...), nil...)
	far = append(far, far[:200]...) // a copy more than 64 KiB back
	return map[string][]byte{
		"empty":      {},
		"one byte":   {7},
		"random 15":  random(15),
		"random 16":  random(16),
		"random 61":  random(61),
		"random 300": random(300),
		"random 70K": random(70_000),
		"run":        bytes.Repeat([]byte{0}, 100_000),
		"period 3":   period(3, 5000),
		"period 7":   period(7, 5000),
		"period 8":   period(8, 5000),
		"period 9":   period(9, 5000),
		"period 17":  period(17, 5000),
		"int64s":     int64s,
		"text":       text,
		"mixed":      mixed,
		"far":        far,
	}
}

func TestSnappyBlockMatchesLibrary(t *testing.T) {
	for name, want := range snappyInputs() {
		block := snappy.Encode(nil, want)
		for _, piece := range []int{1, 7, 4096, snappyPiece, len(want) + 1} {
			got, err := decodePieces(block, piece)
			require.NoError(t, err, "%s, pieces of %d", name, piece)
			require.True(t, bytes.Equal(want, got), "%s, pieces of %d: decoded bytes differ", name, piece)
		}
	}
}

func TestSnappyBlockCorrupt(t *testing.T) {
	good := snappy.Encode(nil, bytes.Repeat([]byte("abcdefgh"), 1000))
	tests := []struct {
		name  string
		block []byte
	}{
		{"no header", nil},
		{"unterminated header", []byte{0x80}},
		{"truncated", good[:len(good)/2]},
		{"literal past the end", []byte{10, 9 << 2, 'a'}},
		{"long literal length truncated", []byte{10, 61 << 2, 1}},
		{"copy before any output", []byte{4, 1 | 0<<2, 1}},
		{"offset zero", []byte{5, 0, 'a', 1, 0}},
		{"copy past the announced length", []byte{3, 0, 'a', 1 | 3<<2, 1}},
		{"truncated 2-byte copy", []byte{5, 0, 'a', 2, 1}},
		{"truncated 4-byte copy", []byte{5, 0, 'a', 3, 1, 0, 0}},
		{"data after the end", append(snappy.Encode(nil, []byte("abc")), 0, 'x')},
		{"ends early", []byte{9, 0, 'a'}},
		{"only a header", []byte{0xc5, 0x30}}, // found by FuzzSnappyBlock
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodePieces(tt.block, 3)
			require.ErrorIs(t, err, errSnappyCorrupt)
			_, libErr := snappy.Decode(nil, tt.block)
			assert.Error(t, libErr, "the library accepts what this decoder rejects")
		})
	}
}

// FuzzSnappyBlock: on any input this decoder agrees with the library's,
// whatever the piece size, and never panics.
func FuzzSnappyBlock(f *testing.F) {
	for _, in := range snappyInputs() {
		if len(in) < 4096 {
			f.Add(snappy.Encode(nil, in), uint16(5))
		}
	}
	f.Add([]byte{5, 0, 'a', 1 | 3<<2, 1}, uint16(1))
	f.Fuzz(func(t *testing.T, block []byte, piece uint16) {
		n, _, err := snappyLen(block)
		if err != nil || n > 1<<20 {
			return
		}
		want, libErr := snappy.Decode(nil, block)
		got, err := decodePieces(block, int(piece)+1)
		if libErr != nil {
			require.Error(t, err, "library: %v", libErr)
			return
		}
		require.NoError(t, err)
		require.True(t, bytes.Equal(want, got))
	})
}

// The library's encoder never emits copies with 4-byte offsets (it works
// in 64 KiB blocks), but other writers may: one made by hand.
func TestSnappyBlockFourByteOffset(t *testing.T) {
	lit := bytes.Repeat([]byte("0123456789"), 7000) // 70,000 bytes
	want := append(append([]byte(nil), lit...), lit[:20]...)
	block := binary.AppendUvarint(nil, uint64(len(want)))
	n := len(lit) - 1
	block = append(block, 62<<2, byte(n), byte(n>>8), byte(n>>16)) // literal, 3-byte length
	block = append(block, lit...)
	block = append(block, 3|19<<2, 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(block[len(block)-4:], uint32(len(lit)))
	lib, err := snappy.Decode(nil, block)
	require.NoError(t, err)
	require.Equal(t, want, lib)
	got, err := decodePieces(block, 1000)
	require.NoError(t, err)
	assert.Equal(t, want, got)
}

// BenchmarkSnappyDecode compares the resumable decoder (in the 128 KiB
// pieces the reader uses) with the library's assembly on page-like data.
func BenchmarkSnappyDecode(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n = 128 << 10
	sorted := make([]byte, 8*n/8) // plain INT64 keys, ascending: l_orderkey
	dates := make([]byte, 4*n/8)  // plain INT32 dates in a 7-year range
	for i := range n / 8 {
		binary.LittleEndian.PutUint64(sorted[8*i:], uint64(i/4+1))
	}
	for i := range n / 8 {
		binary.LittleEndian.PutUint32(dates[4*i:], uint32(8000+rng.IntN(2500)))
	}
	in := snappyInputs()
	for _, name := range []string{"int64s", "text", "mixed"} {
		in[name] = in[name][:min(len(in[name]), n)]
	}
	in["sorted int64"], in["dates"] = sorted, dates
	for _, name := range []string{"int64s", "sorted int64", "dates", "text", "mixed"} {
		raw := in[name]
		block := snappy.Encode(nil, raw)
		dst := make([]byte, len(raw))
		b.Run(name+"/ours", func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				var z snappyBlock
				if err := z.reset(dst, block); err != nil {
					b.Fatal(err)
				}
				for !z.done() {
					if err := z.step(128 << 10); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		b.Run(name+"/library", func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := snappy.Decode(dst, block); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
