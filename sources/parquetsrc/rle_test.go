package parquetsrc

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hybridEncoder writes Parquet's RLE / bit-packing hybrid, for tests.
type hybridEncoder struct {
	width uint
	out   []byte
}

func (e *hybridEncoder) rle(v uint32, count int) {
	e.out = binary.AppendUvarint(e.out, uint64(count)<<1)
	for i := 0; i < int(e.width+7)/8; i++ {
		e.out = append(e.out, byte(v>>(8*i)))
	}
}

// packed writes vals (a multiple of 8 of them) bit-packed.
func (e *hybridEncoder) packed(vals []uint32) {
	e.out = binary.AppendUvarint(e.out, uint64(len(vals)/8)<<1|1)
	e.out = append(e.out, packBits(vals, e.width)...)
}

// packBits packs vals LSB-first, width bits each.
func packBits(vals []uint32, width uint) []byte {
	out := make([]byte, (len(vals)*int(width)+7)/8)
	for i, v := range vals {
		for k := uint(0); k < width; k++ {
			if v>>k&1 == 1 {
				bit := i*int(width) + int(k)
				out[bit/8] |= 1 << (bit % 8)
			}
		}
	}
	return out
}

// randomRuns encodes n values of width bits as a random mix of runs and
// returns the encoding and the values.
func randomRuns(rng *rand.Rand, width uint, n int) ([]byte, []uint32) {
	e := &hybridEncoder{width: width}
	var want []uint32
	maxV := uint64(1)<<width - 1
	for len(want) < n {
		if rng.IntN(2) == 0 {
			v, c := uint32(rng.Uint64N(maxV+1)), 1+rng.IntN(300)
			e.rle(v, c)
			for range c {
				want = append(want, v)
			}
		} else {
			vals := make([]uint32, 8*(1+rng.IntN(40)))
			for i := range vals {
				vals[i] = uint32(rng.Uint64N(maxV + 1))
			}
			e.packed(vals)
			want = append(want, vals...)
		}
	}
	return e.out, want
}

func TestUnpack(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for width := uint(0); width <= 32; width++ {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			vals := make([]uint32, 203)
			for i := range vals {
				vals[i] = uint32(rng.Uint64N(uint64(1) << width))
			}
			src := packBits(vals, width)
			// From every start, to the very end of src: the tail must not
			// read past it.
			for start := 0; start < 20; start++ {
				got := make([]uint32, len(vals)-start)
				unpack(got, src, start*int(width), width)
				require.Equal(t, vals[start:], got, "start %d", start)
			}
		})
	}
}

func TestIndexDecoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, width := range []uint{0, 1, 2, 3, 7, 8, 9, 12, 16, 17, 24, 31, 32} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			enc, want := randomRuns(rng, width, 5000)
			var d indexDecoder
			require.NoError(t, d.reset(append([]byte{byte(width)}, enc...)))
			var got []uint32
			buf := make([]uint32, 100)
			for len(got) < len(want) {
				n, rle, v, err := d.next(buf[:1+rng.IntN(len(buf))])
				require.NoError(t, err)
				for i := 0; i < n; i++ {
					if rle {
						got = append(got, v)
					} else {
						got = append(got, buf[i])
					}
				}
			}
			require.Equal(t, want, got[:len(want)])
		})
	}
}

func TestGather(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for width := uint(0); width <= 20; width++ {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			enc, idx := randomRuns(rng, width, 6000)
			maxIdx := uint32(0)
			for _, v := range idx {
				maxIdx = max(maxIdx, v)
			}
			dict := make([]int64, maxIdx+1)
			for i := range dict {
				dict[i] = int64(i)*3 + 1
			}
			data := append([]byte{byte(width)}, enc...)
			var x indexDecoder
			require.NoError(t, x.reset(data))
			got := make([]int64, len(idx))
			buf := make([]uint32, 64)
			// Stretches of random length leave runs at every bit offset.
			for o := 0; o < len(got); {
				k := min(1+rng.IntN(50), len(got)-o)
				require.NoError(t, gather(&x, got[o:o+k], dict, buf))
				o += k
			}
			for i, v := range idx {
				require.Equal(t, dict[v], got[i], "value %d", i)
			}
			if maxIdx > 0 {
				// A dictionary one value short: the largest index is out
				// of range, wherever it lies.
				require.NoError(t, x.reset(data))
				err := gather(&x, got, dict[:maxIdx], buf)
				assert.ErrorContains(t, err, fmt.Sprintf("dictionary index %d", maxIdx))
			}
		})
	}
}

func TestIndexDecoderBadInput(t *testing.T) {
	var d indexDecoder
	assert.Error(t, d.reset(nil))
	assert.Error(t, d.reset([]byte{33}))
	buf := make([]uint32, 8)
	for _, data := range [][]byte{
		{4},                                     // no runs
		{4, 0x80},                               // unfinished varint
		{16, 4},                                 // RLE run without its 2 value bytes
		{16, 4, 1},                              // ... with one
		{4, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f}, // absurd run
	} {
		require.NoError(t, d.reset(data))
		_, _, _, err := d.next(buf)
		assert.Error(t, err, "%x", data)
	}
	// A bit-packed run cut short yields the values it holds.
	require.NoError(t, d.reset([]byte{4, 3, 0x21}))
	n, rle, _, err := d.next(buf)
	require.NoError(t, err)
	assert.False(t, rle)
	assert.Equal(t, []uint32{1, 2}, buf[:n])
}

func TestLevelDecoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	enc, want := randomRuns(rng, 1, 20000)
	var d levelDecoder
	d.reset(enc)
	bits := make([]byte, bitutil.BytesForBits(int64(len(want))))
	for o := 0; o < len(want); {
		k := min(1+rng.IntN(700), len(want)-o)
		defined, err := d.read(k, bits, o)
		require.NoError(t, err)
		exp := 0
		for _, v := range want[o : o+k] {
			exp += int(v)
		}
		require.Equal(t, exp, defined, "at %d", o)
		o += k
	}
	for i, v := range want {
		require.Equal(t, v == 1, bitutil.BitIsSet(bits, i), "level %d", i)
	}
	// A level above the maximum and a truncated stream are errors.
	d.reset([]byte{2, 2})
	_, err := d.read(1, bits, 0)
	assert.ErrorContains(t, err, "above the maximum")
	d.reset([]byte{4, 1})
	_, err = d.read(3, bits, 0)
	assert.ErrorIs(t, err, errRunsEnd)
}

func TestSpread(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 7, 8, 9, 100, 1000} {
		valid := make([]byte, bitutil.BytesForBits(int64(n)))
		var dense []int64
		var want []int64
		offsWant := []int32{0}
		var denseEnds []int32
		for i := 0; i < n; i++ {
			if rng.IntN(3) > 0 {
				bitutil.SetBit(valid, i)
				v := int64(i + 1)
				dense = append(dense, v)
				want = append(want, v)
				denseEnds = append(denseEnds, offsWant[len(offsWant)-1]+int32(i%4))
				offsWant = append(offsWant, denseEnds[len(denseEnds)-1])
			} else {
				want = append(want, 0)
				offsWant = append(offsWant, offsWant[len(offsWant)-1])
			}
		}
		got := make([]int64, n)
		for i := range got {
			got[i] = -1
		}
		copy(got, dense)
		spreadBits(got, len(dense), valid)
		assert.Equal(t, want, got, "n=%d", n)

		offs := make([]int32, n+1)
		copy(offs[1:], denseEnds)
		spreadOffsets(offs, len(denseEnds), valid)
		assert.Equal(t, offsWant, offs, "n=%d", n)
	}
}

// BenchmarkUnpack decodes bit-packed dictionary indices of the widths of
// TPC-H lineitem's dictionary columns.
func BenchmarkUnpack(b *testing.B) {
	for _, width := range []uint{1, 2, 4, 6, 12, 17} {
		b.Run(fmt.Sprint(width), func(b *testing.B) {
			vals := make([]uint32, 8192)
			for i := range vals {
				vals[i] = uint32(i*7) & (1<<width - 1)
			}
			src := packBits(vals, width)
			b.SetBytes(int64(len(vals)) * 4)
			for b.Loop() {
				unpack(vals, src, 0, width)
			}
		})
	}
}

// BenchmarkGather decodes 8192 bit-packed dictionary indices into values,
// as for l_shipdate (2526 dates, 12 bits) and l_discount (11 decimals, 4
// bits).
func BenchmarkGather(b *testing.B) {
	b.Run("date-12bit", func(b *testing.B) { benchGather[int32](b, 2526, 12) })
	b.Run("decimal-4bit", func(b *testing.B) { benchGather[decimal128.Num](b, 11, 4) })
}

func benchGather[T any](b *testing.B, ndict int, width uint) {
	dict := make([]T, ndict)
	vals := make([]uint32, 8192)
	for i := range vals {
		vals[i] = uint32(i*7919) % uint32(ndict)
	}
	e := &hybridEncoder{width: width}
	e.packed(vals)
	data := append([]byte{byte(width)}, e.out...)
	dst := make([]T, len(vals))
	buf := make([]uint32, indexStretch)
	b.SetBytes(int64(len(vals)))
	var x indexDecoder
	for b.Loop() {
		if err := x.reset(data); err != nil {
			b.Fatal(err)
		}
		if err := gather(&x, dst, dict, buf); err != nil {
			b.Fatal(err)
		}
	}
}
