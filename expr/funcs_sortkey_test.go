package expr

import (
	"bytes"
	"cmp"
	"math"
	"math/rand"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/require"
)

// TestSortKeyOrder checks that the bytes of __sort_key compare as the
// values do, for every type, both directions and both NULL places, over
// values chosen to hit the edges (signs, -0, NaN, infinities, prefixes,
// bytes 0x00 and 0xFF inside strings).
func TestSortKeyOrder(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r := rand.New(rand.NewSource(7))
	const n = 300
	type column struct {
		name string
		t    types.T
		arr  arrow.Array
		cmp  func(i, j int) int // for non-NULL rows
	}
	var cols []column
	{
		b := array.NewInt64Builder(mem)
		vals := []int64{math.MinInt64, -1, 0, 1, math.MaxInt64}
		for i := 0; i < n; i++ {
			if i%17 == 0 {
				b.AppendNull()
			} else if i < len(vals)+1 {
				b.Append(vals[i-1])
			} else {
				b.Append(r.Int63n(2000) - 1000)
			}
		}
		a := b.NewInt64Array()
		b.Release()
		cols = append(cols, column{"int", types.Int64Type, a, func(i, j int) int { return cmp.Compare(a.Value(i), a.Value(j)) }})
	}
	{
		b := array.NewFloat64Builder(mem)
		vals := []float64{math.Inf(-1), -1.5, math.Copysign(0, -1), 0, 2.25, math.Inf(1), math.NaN(), -math.SmallestNonzeroFloat64}
		for i := 0; i < n; i++ {
			if i%13 == 0 {
				b.AppendNull()
			} else if i <= len(vals) {
				b.Append(vals[i-1])
			} else {
				b.Append(float64(r.Intn(100)-50) / 4)
			}
		}
		a := b.NewFloat64Array()
		b.Release()
		// NaN is greatest, as in DuckDB; -0 equals 0.
		cols = append(cols, column{"double", types.Float64Type, a, func(i, j int) int {
			x, y := a.Value(i), a.Value(j)
			switch {
			case math.IsNaN(x) || math.IsNaN(y):
				return cmp.Compare(b2i(math.IsNaN(x)), b2i(math.IsNaN(y)))
			}
			return cmp.Compare(x, y)
		}})
	}
	{
		dt := types.DecimalType(38, 2)
		b := array.NewDecimal128Builder(mem, dt.Arrow().(*arrow.Decimal128Type))
		for i := 0; i < n; i++ {
			if i%11 == 0 {
				b.AppendNull()
				continue
			}
			v := decimal128.FromI64(r.Int63n(1 << 40))
			if i%3 == 0 {
				v = v.Negate()
			}
			if i%5 == 0 {
				v = v.Mul(decimal128.FromU64(1 << 62)) // beyond 64 bits
			}
			b.Append(v)
		}
		a := b.NewDecimal128Array()
		b.Release()
		cols = append(cols, column{"decimal", dt, a, func(i, j int) int { return a.Value(i).Cmp(a.Value(j)) }})
	}
	{
		b := array.NewStringBuilder(mem)
		vals := []string{"", "a", "ab", "a\x00", "a\x00b", "a\xff", "b", "\x00", "\xff\xff"}
		for i := 0; i < n; i++ {
			if i%19 == 0 {
				b.AppendNull()
			} else {
				b.Append(vals[r.Intn(len(vals))] + strings.Repeat("a", r.Intn(2)))
			}
		}
		a := b.NewStringArray()
		b.Release()
		cols = append(cols, column{"varchar", types.StringType, a, func(i, j int) int { return strings.Compare(a.Value(i), a.Value(j)) }})
	}
	defer func() {
		for _, c := range cols {
			c.arr.Release()
		}
	}()
	for _, c := range cols {
		for _, dir := range []string{"asc", "desc", "asc nulls first", "desc nulls first"} {
			t.Run(c.name+"/"+dir, func(t *testing.T) {
				out, err := evalSortKey(testEnv{mem}, n, []Vec{{Arr: c.arr}, {Const: StrDatum(dir)}}, []types.T{c.t, types.StringType}, types.StringType)
				require.NoError(t, err)
				defer out.Release()
				keys := out.(*array.String)
				desc, nullsFirst := strings.HasPrefix(dir, "desc"), strings.HasSuffix(dir, "nulls first")
				for i := 0; i < n; i++ {
					for j := 0; j < n; j++ {
						var want int
						ni, nj := c.arr.IsNull(i), c.arr.IsNull(j)
						switch {
						case ni && nj:
							want = 0
						case ni || nj:
							want = 1 // i's NULL sorts last
							if nj {
								want = -1
							}
							if nullsFirst {
								want = -want
							}
						default:
							want = c.cmp(i, j)
							if desc {
								want = -want
							}
						}
						got := bytes.Compare([]byte(keys.Value(i)), []byte(keys.Value(j)))
						require.Equal(t, want, got, "rows %d and %d", i, j)
					}
				}
			})
		}
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
