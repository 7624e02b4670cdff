package expr

import (
	"math/rand/v2"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/require"
)

// String = and <> with a constant, through the word-at-a-time path for
// short constants and the general loop for the rest and the tail, against
// plain Go comparison; on sliced arrays too.
func TestStringEqualsConstant(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	consts := []string{"", "R", "AB", "MAIL", "1-URGENT", "12345678", "123456789", "PROMO BURNISHED"}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	for _, rows := range []int{1, 63, 64, 200, 1000} {
		bld := array.NewStringBuilder(mem)
		for range rows {
			if r.IntN(3) == 0 {
				bld.Append(consts[r.IntN(len(consts))])
				continue
			}
			s := make([]byte, r.IntN(10))
			for j := range s {
				s[j] = "RAB12345678MIL"[r.IntN(14)]
			}
			bld.Append(string(s))
		}
		whole := bld.NewArray().(*array.String)
		bld.Release()
		for _, off := range []int{0, 3} {
			if off >= rows {
				continue
			}
			a := array.NewSlice(whole, int64(off), int64(rows)).(*array.String)
			for _, c := range consts {
				for _, op := range []BinOp{OpEq, OpNe} {
					out := make([]byte, bitutil.BytesForBits(int64(a.Len())))
					cmpString(op, a, Vec{Const: StrDatum(c)}, out)
					for i := range a.Len() {
						want := (a.Value(i) == c) == (op == OpEq)
						require.Equal(t, want, bitutil.BitIsSet(out, i), "%d rows, offset %d, %q %s %q", rows, off, a.Value(i), op, c)
					}
				}
			}
			a.Release()
		}
		whole.Release()
	}
}

func TestIsASCII(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"", true},
		{"a", true},
		{"abcdefgh", true},
		{"abcdefghijklmnopq", true},
		{"é", false},
		{"abcdefgé", false},  // in the first word
		{"abcdefghé", false}, // in the tail
		{"abcdefgh\x80ijklmnop", false},
		{"\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f", true},
	} {
		require.Equal(t, tc.want, isASCII([]byte(tc.s)), "%q", tc.s)
	}
}
