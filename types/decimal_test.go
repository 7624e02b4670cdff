package types

import (
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDecimalAddType(t *testing.T) {
	cases := []struct {
		a, b, want T
	}{
		{DecimalType(15, 2), DecimalType(15, 2), DecimalType(16, 2)},
		{DecimalType(15, 2), DecimalType(10, 4), DecimalType(18, 4)},
		{DecimalType(5, 0), DecimalType(3, 3), DecimalType(9, 3)},
		{DecimalType(1, 1), DecimalType(1, 1), DecimalType(2, 1)},
		{DecimalType(38, 2), DecimalType(10, 0), DecimalType(38, 2)},
		{DecimalType(38, 38), DecimalType(38, 0), DecimalType(38, 38)}, // capped, checked at run time
		{DecimalOf(Int64Type), DecimalType(15, 2), DecimalType(22, 2)},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, DecimalAddType(c.a, c.b), "%s + %s", c.a, c.b)
		assert.Equal(t, c.want, DecimalAddType(c.b, c.a), "%s + %s", c.b, c.a)
	}
	// Never an invalid type, whatever the inputs.
	for p1 := 1; p1 <= MaxDecimalPrecision; p1++ {
		for s1 := 0; s1 <= p1; s1 += 3 {
			for p2 := 1; p2 <= MaxDecimalPrecision; p2 += 2 {
				for s2 := 0; s2 <= p2; s2 += 5 {
					r := DecimalAddType(DecimalType(p1, s1), DecimalType(p2, s2))
					_, err := NewDecimal(int(r.Precision), int(r.Scale))
					require.NoError(t, err, "(%d,%d)+(%d,%d) = %s", p1, s1, p2, s2, r)
				}
			}
		}
	}
}

func TestDecimalMulType(t *testing.T) {
	cases := []struct {
		a, b, want T
		ok         bool
	}{
		{DecimalType(15, 2), DecimalType(15, 2), DecimalType(30, 4), true},
		{DecimalType(15, 2), DecimalType(3, 1), DecimalType(18, 3), true},
		{DecimalType(20, 2), DecimalType(20, 2), DecimalType(38, 4), true},
		{DecimalType(38, 19), DecimalType(38, 19), DecimalType(38, 38), true},
		{DecimalType(38, 20), DecimalType(38, 19), T{}, false},
		{DecimalType(38, 38), DecimalType(1, 1), T{}, false},
		{DecimalOf(Int64Type), DecimalType(15, 2), DecimalType(34, 2), true},
	}
	for _, c := range cases {
		got, ok := DecimalMulType(c.a, c.b)
		require.Equal(t, c.ok, ok, "%s * %s", c.a, c.b)
		assert.Equal(t, c.want, got, "%s * %s", c.a, c.b)
	}
}

func TestDecimalOf(t *testing.T) {
	assert.Equal(t, DecimalType(19, 0), DecimalOf(Int64Type))
	assert.Equal(t, DecimalType(7, 2), DecimalOf(DecimalType(7, 2)))
	assert.Equal(t, Float64Type, DecimalOf(Float64Type))
}

func TestParseDecimal(t *testing.T) {
	cases := []struct {
		in    string
		want  string // the value's unscaled integer
		p, s  int
		error bool
	}{
		{in: "0", want: "0", p: 1, s: 0},
		{in: "-0", want: "0", p: 1, s: 0},
		{in: "12.50", want: "1250", p: 4, s: 2},
		{in: "-12.50", want: "-1250", p: 4, s: 2},
		{in: "+12.5", want: "125", p: 3, s: 1},
		{in: "  7  ", want: "7", p: 1, s: 0},
		{in: "0.001", want: "1", p: 4, s: 3},
		{in: ".5", want: "5", p: 2, s: 1},
		{in: "-.5", want: "-5", p: 2, s: 1},
		{in: "5.", want: "5", p: 1, s: 0},
		{in: "007.10", want: "710", p: 3, s: 2},
		{in: "0.0", want: "0", p: 2, s: 1},
		{in: "1e3", want: "1000", p: 4, s: 0},
		{in: "1E3", want: "1000", p: 4, s: 0},
		{in: "1e+3", want: "1000", p: 4, s: 0},
		{in: "1.5e3", want: "1500", p: 4, s: 0},
		{in: "1.25e1", want: "125", p: 3, s: 1},
		{in: "-1.25e2", want: "-125", p: 3, s: 0},
		{in: "15e-4", want: "15", p: 5, s: 4},
		{in: "1e-38", want: "1", p: 38, s: 38},
		{in: "1e37", want: "1" + strings.Repeat("0", 37), p: 38, s: 0},
		{in: "123456789012345678901234567890.12345678", want: "12345678901234567890123456789012345678", p: 38, s: 8},
		{in: "99999999999999999999999999999999999999", want: strings.Repeat("9", 38), p: 38, s: 0},
		{in: "-99999999999999999999999999999999999999", want: "-" + strings.Repeat("9", 38), p: 38, s: 0},
		{in: "0." + strings.Repeat("9", 38), want: strings.Repeat("9", 38), p: 38, s: 38},
		{in: "000000000000000000000000000000000000000001", want: "1", p: 1, s: 0},
		{in: "", error: true},
		{in: "-", error: true},
		{in: ".", error: true},
		{in: "+-1", error: true},
		{in: "1.2.3", error: true},
		{in: "1,5", error: true},
		{in: "12a", error: true},
		{in: "1 000", error: true},
		{in: "NaN", error: true},
		{in: "Infinity", error: true},
		{in: "1e", error: true},
		{in: "e5", error: true},
		{in: "1e3.5", error: true},
		{in: "1e1000000000000", error: true},
		{in: "1e-39", error: true},
		{in: "1e38", error: true},
		{in: "1" + strings.Repeat("0", 38), error: true},
		{in: "0." + strings.Repeat("0", 38) + "1", error: true},
	}
	for _, c := range cases {
		n, typ, err := ParseDecimal(c.in)
		if c.error {
			assert.Error(t, err, "%q", c.in)
			continue
		}
		require.NoError(t, err, "%q", c.in)
		assert.Equal(t, c.want, n.BigInt().String(), "%q", c.in)
		assert.Equal(t, DecimalType(c.p, c.s), typ, "%q", c.in)
	}
}

func TestFormatDecimal(t *testing.T) {
	cases := []struct {
		n     decimal128.Num
		scale int
		want  string
	}{
		{decimal128.FromI64(0), 0, "0"},
		{decimal128.FromI64(0), 2, "0.00"},
		{decimal128.FromI64(1250), 2, "12.50"},
		{decimal128.FromI64(-1250), 2, "-12.50"},
		{decimal128.FromI64(5), 3, "0.005"},
		{decimal128.FromI64(-5), 3, "-0.005"},
		{decimal128.FromI64(123), 3, "0.123"},
		{decimal128.FromI64(1234), 3, "1.234"},
		{decimal128.FromI64(7), 0, "7"},
		{decimal128.FromI64(-9223372036854775808), 0, "-9223372036854775808"},
		{decimal128.FromI64(9223372036854775807), 19, "0.9223372036854775807"},
		{fromBig(bigOf("10000000000000000000")), 0, "10000000000000000000"},
		{fromBig(bigOf("10000000000000000000")), 19, "1.0000000000000000000"},
		{fromBig(bigOf("99999999999999999999999999999999999999")), 2, "999999999999999999999999999999999999.99"},
		{fromBig(bigOf("-99999999999999999999999999999999999999")), 38, "-0.99999999999999999999999999999999999999"},
		{fromBig(bigOf("-100000000000000000000000000000000000001")), 0, "-100000000000000000000000000000000000001"},
		{maxInt128, 0, "170141183460469231731687303715884105727"},
		{minInt128, 0, "-170141183460469231731687303715884105728"},
		{minInt128, 38, "-1.70141183460469231731687303715884105728"},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, FormatDecimal(c.n, c.scale), "%s at scale %d", c.n.BigInt(), c.scale)
		assert.Equal(t, "x="+c.want, string(AppendDecimal([]byte("x="), c.n, c.scale)))
	}
}

// bigDecimalText is the reference rendering of n at a scale, via math/big.
func bigDecimalText(n *big.Int, scale int) string {
	abs := new(big.Int).Abs(n).String()
	if len(abs) <= scale {
		abs = strings.Repeat("0", scale-len(abs)+1) + abs
	}
	text := abs
	if scale > 0 {
		text = abs[:len(abs)-scale] + "." + abs[len(abs)-scale:]
	}
	if n.Sign() < 0 {
		text = "-" + text
	}
	return text
}

// Every representable value formats as math/big does, and every value of
// at most 38 digits parses back from its text to itself at the same scale.
func TestDecimalTextRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	vals := edgeInt128()
	for i := 0; i < 20000; i++ {
		vals = append(vals, randInt128(r))
	}
	for _, v := range vals {
		for _, scale := range []int{0, 1, 2, 5, 18, 19, 20, 37, 38} {
			text := FormatDecimal(v, scale)
			require.Equal(t, bigDecimalText(v.BigInt(), scale), text)
			if !FitsPrecision(v, MaxDecimalPrecision) {
				continue
			}
			back, typ, err := ParseDecimal(text)
			require.NoError(t, err, text)
			require.Equal(t, v, back, text)
			require.Equal(t, scale, int(typ.Scale), text)
			require.True(t, FitsPrecision(back, int(typ.Precision)), "%s does not fit its own type %s", text, typ)
		}
	}
}

func TestAppendDecimalDoesNotAllocate(t *testing.T) {
	buf := make([]byte, 0, 64)
	v := fromBig(bigOf("-12345678901234567890123456789012345678"))
	allocs := testing.AllocsPerRun(100, func() { buf = AppendDecimal(buf[:0], v, 10) })
	assert.Zero(t, allocs)
}

func bigOf(s string) *big.Int {
	v, ok := new(big.Int).SetString(s, 10)
	if !ok {
		panic("bad big literal " + s)
	}
	return v
}
