package expr

import (
	"bytes"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// TestLongStringsStopInsideARow checks that kernels building one long
// string spend as they copy it, so that a cancel stops them inside the
// row, and that they release what they made when it does.
func TestLongStringsStopInsideARow(t *testing.T) {
	const reps = 1 << 20 // 2 MiB of 'ab' a row
	long := &Func{Name: "repeat", Args: []Expr{&Literal{Value: StrDatum("ab"), T: types.StringType}, &Literal{Value: IntDatum(reps), T: types.Int64Type}}, T: types.StringType}
	col := &ColumnRef{Index: 0, Name: "s", T: types.StringType}
	tests := []struct {
		name string
		e    Expr
	}{
		{"repeat", &Func{Name: "repeat", Args: []Expr{col, &Literal{Value: IntDatum(reps), T: types.Int64Type}}, T: types.StringType}},
		{"constant repeat", &Func{Name: "length", Args: []Expr{long}, T: types.Int64Type}},
		{"concat", &Func{Name: "concat", Args: []Expr{long, col}, T: types.StringType}},
		{"||", &Func{Name: "||", Args: []Expr{col, long}, T: types.StringType}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			b := array.NewStringBuilder(mem)
			b.AppendValues([]string{"ab", "c", "d"}, nil)
			s := b.NewArray()
			b.Release()
			rec := array.NewRecord(arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}}, nil), []arrow.Array{s}, 3)
			s.Release()
			defer rec.Release()
			ev, err := Compile(tc.e)
			require.NoError(t, err)

			spends, stopAt := 0, 1<<30
			v, err := ev.Eval(stopEnv{testEnv{mem}, &spends, &stopAt}, rec)
			require.NoError(t, err)
			v.Release()
			assert.GreaterOrEqual(t, spends, 2*reps/copyPiece, "a spend every %d bytes of a row", copyPiece)

			spends, stopAt = 0, 5
			_, err = ev.Eval(stopEnv{testEnv{mem}, &spends, &stopAt}, rec)
			assert.ErrorIs(t, err, errStopped)
			assert.Equal(t, 5, spends, "nothing copied after the failed spend")
		})
	}
}

// TestConcatRowsSpendsAsItCopies checks concatRows alone, before finish
// copies its text again: a spend every copyPiece bytes of each row.
func TestConcatRowsSpendsAsItCopies(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewStringBuilder(mem)
	b.AppendValues([]string{"x", "", "yz"}, []bool{true, false, true})
	s := b.NewStringArray()
	b.Release()
	defer s.Release()
	long := string(make([]byte, 1<<20))
	spends, stopAt := 0, 1<<30
	out, err := concatRows(stopEnv{testEnv{mem}, &spends, &stopAt}, 3, []Vec{{Const: StrDatum(long)}, {Arr: s}})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, spends, 3*len(long)/copyPiece-3)
	assert.Equal(t, []int32{0, 1<<20 + 1, 2<<20 + 1, 3<<20 + 3}, out.offs)
}

// TestCheckedCopiesMatchThePlainOnes compares the checked forms of the
// string kernels' copies with the plain ones, across piece boundaries.
func TestCheckedCopiesMatchThePlainOnes(t *testing.T) {
	env := testEnv{memory.NewGoAllocator()}
	long := bytes.Repeat([]byte("abcab"), 3*copyPiece/5+7) // over three pieces
	t.Run("replaceChecked", func(t *testing.T) {
		for _, tc := range []struct{ s, f, to []byte }{
			{long, []byte("ab"), []byte("x")},
			{long, []byte("cab"), []byte("<longer>")},
			{long, []byte("bca"), nil},
			{long, []byte("zz"), []byte("y")}, // no occurrence
			{append(bytes.Repeat([]byte("a"), copyPiece-1), "bcd"...), []byte("abc"), []byte("X")}, // across a piece's end
			{[]byte("short ab"), []byte("ab"), []byte("cd")},
		} {
			got, err := replaceChecked(env, []byte("head:"), tc.s, tc.f, tc.to)
			require.NoError(t, err)
			assert.Equal(t, append([]byte("head:"), bytes.ReplaceAll(tc.s, tc.f, tc.to)...), got, "replace %q by %q", tc.f, tc.to)
		}
	})
	t.Run("appendFillChecked", func(t *testing.T) {
		for _, fill := range []string{"x", "ab", "abc", "é日", "1234567"} {
			for _, n := range []int{0, 5, copyPiece - 1, copyPiece + 1, 3*copyPiece + 11} {
				got, err := appendFillChecked(env, []byte("h"), []byte(fill), n)
				require.NoError(t, err)
				want := append([]byte("h"), bytes.Repeat([]byte(fill), n/len(fill))...)
				assert.Equal(t, append(want, fill[:n%len(fill)]...), got, "fill %q, %d bytes", fill, n)
			}
		}
	})
	t.Run("appendChecked", func(t *testing.T) {
		var got, want []byte
		for _, b := range [][]byte{long, []byte("x"), long[:copyPiece+1], nil, long} {
			var err error
			got, err = appendChecked(env, got, b)
			require.NoError(t, err)
			want = append(want, b...)
		}
		assert.Equal(t, want, got)
	})
}
