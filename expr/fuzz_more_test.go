package expr

import (
	"math"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// FuzzEval's share of the functions added with regexp: generators (one
// call in eight of each kind's generator) and reference implementations,
// written from DuckDB's documented behaviour rather than from the kernels.

// fuzzPatterns are the literal patterns regexp calls get: valid ones,
// since a bad literal fails at compile time, before any row.
var fuzzPatterns = []string{"a", "^a", "b$", "[a-c]+", "(a)(b)?", "x|y", ".", "", "é", "(?i)A"}

func (g *exprGen) moreString(sub func(types.Kind) Expr) Expr {
	s := func() Expr { return sub(types.String) }
	small := func() Expr { return &Literal{Value: IntDatum(int64(g.choose(9)) - 2), T: types.Int64Type} }
	pat := func() Expr {
		return &Literal{Value: StrDatum(fuzzPatterns[g.choose(len(fuzzPatterns))]), T: types.StringType}
	}
	switch g.choose(6) {
	case 0:
		return g.call("split_part", s(), s(), sub(types.Int64))
	case 1:
		return g.call([]string{"lpad", "rpad"}[g.choose(2)], s(), small(), s())
	case 2:
		return g.call("translate", s(), s(), s())
	case 3:
		return g.call("regexp_extract", s(), pat(), &Literal{Value: IntDatum(int64(g.choose(3))), T: types.Int64Type})
	case 4:
		return g.call("regexp_replace", s(), pat(), &Literal{Value: StrDatum([]string{"", "x", `<\0>`, `\1\1`, "$1"}[g.choose(5)]), T: types.StringType},
			&Literal{Value: StrDatum([]string{"", "g", "gi"}[g.choose(3)]), T: types.StringType})
	default:
		return g.call("chr", &Literal{Value: IntDatum([]int64{65, 233, 8364, 0x10FFFF, 0xD800, -1}[g.choose(6)]), T: types.Int64Type})
	}
}

func (g *exprGen) moreInt(sub func(types.Kind) Expr) Expr {
	switch g.choose(4) {
	case 0:
		return g.call([]string{"gcd", "lcm"}[g.choose(2)], sub(types.Int64), sub(types.Int64))
	case 1:
		return g.call("ascii", sub(types.String))
	case 2:
		return g.call("bit_count", sub(types.Int64))
	default:
		return g.call("trunc", sub(types.Int64), g.digits())
	}
}

func (g *exprGen) moreFloat(sub func(types.Kind) Expr) Expr {
	switch g.choose(3) {
	case 0:
		return g.call([]string{"even", "trunc", "cbrt"}[g.choose(3)], sub(types.Float64))
	case 1:
		return g.call("trunc", sub(types.Float64), g.digits())
	default:
		return g.call([]string{"atan2", "log"}[g.choose(2)], sub(types.Float64), sub(types.Float64))
	}
}

func (g *exprGen) moreDecimal(sub func(types.Kind) Expr) Expr {
	if g.choose(2) == 0 {
		return g.call("trunc", sub(types.Decimal))
	}
	return g.call("trunc", sub(types.Decimal), g.digits())
}

func (g *exprGen) moreBool(sub func(types.Kind) Expr) Expr {
	pat := &Literal{Value: StrDatum(fuzzPatterns[g.choose(len(fuzzPatterns))]), T: types.StringType}
	return g.call([]string{"regexp_matches", "regexp_full_match"}[g.choose(2)], sub(types.String), pat)
}

// refFuncMore computes the functions above on non-NULL arguments; ok is
// false for a function it does not know.
func refFuncMore(e *Func, a []refVal) (outcome, bool) {
	str := func(s string) (outcome, bool) { return outcome{v: refVal{s: s}}, true }
	num := func(i int64) (outcome, bool) { return outcome{v: refVal{i: i}}, true }
	flt := func(f float64) (outcome, bool) { return outcome{v: refVal{f: f}}, true }
	switch e.Name {
	case "split_part":
		var parts []string
		if a[1].s == "" {
			parts = runesOf(a[0].s)
		} else {
			parts = strings.Split(a[0].s, a[1].s)
		}
		k := a[2].i
		if k < 0 {
			k += int64(len(parts)) + 1
		}
		if k < 1 || k > int64(len(parts)) {
			return str("")
		}
		return str(parts[k-1])
	case "lpad", "rpad":
		chars, w := runesOf(a[0].s), a[1].i
		if w <= 0 {
			return str("")
		}
		if int64(len(chars)) >= w {
			return str(strings.Join(chars[:w], ""))
		}
		fill := runesOf(a[2].s)
		if len(fill) == 0 {
			return refErr(sqlerr.ErrInvalidValue, "insufficient padding"), true
		}
		var pad []string
		for len(pad) < int(w)-len(chars) {
			pad = append(pad, fill[len(pad)%len(fill)])
		}
		if e.Name == "lpad" {
			return str(strings.Join(pad, "") + a[0].s)
		}
		return str(a[0].s + strings.Join(pad, ""))
	case "translate":
		from, to := runesOf(a[1].s), runesOf(a[2].s)
		var b strings.Builder
		for _, c := range runesOf(a[0].s) {
			i := 0
			for i < len(from) && from[i] != c {
				i++
			}
			switch {
			case i == len(from):
				b.WriteString(c)
			case i < len(to):
				b.WriteString(to[i])
			}
		}
		return str(b.String())
	case "chr":
		c := a[0].i
		if c < 0 || c > utf8.MaxRune || c >= 0xD800 && c <= 0xDFFF {
			return refErr(sqlerr.ErrInvalidValue, "invalid code point"), true
		}
		return str(string(rune(c)))
	case "ascii":
		if a[0].s == "" {
			return num(0)
		}
		r, _ := utf8.DecodeRuneInString(a[0].s)
		return num(int64(r))
	case "regexp_matches", "regexp_full_match":
		p := a[1].s
		if e.Name == "regexp_full_match" {
			p = "^(?:" + p + ")$"
		}
		return outcome{v: refBool(regexp.MustCompile(p).MatchString(a[0].s))}, true
	case "regexp_extract":
		m := regexp.MustCompile(a[1].s).FindStringSubmatch(a[0].s)
		if int(a[2].i) >= len(m) {
			return str("")
		}
		return str(m[a[2].i])
	case "regexp_replace":
		re := regexp.MustCompile(a[1].s)
		if strings.Contains(a[3].s, "i") {
			re = regexp.MustCompile("(?i)" + a[1].s)
		}
		rewrite := a[2].s
		if strings.Contains(rewrite, `\1`) && re.NumSubexp() < 1 {
			return str(a[0].s) // RE2 rejects the rewrite: the string stays
		}
		tmpl := strings.NewReplacer("$", "$$", `\0`, "${0}", `\1`, "${1}").Replace(rewrite)
		if strings.Contains(a[3].s, "g") {
			return str(re.ReplaceAllString(a[0].s, tmpl))
		}
		loc := re.FindStringSubmatchIndex(a[0].s)
		if loc == nil {
			return str(a[0].s)
		}
		return str(a[0].s[:loc[0]] + string(re.ExpandString(nil, tmpl, a[0].s, loc)) + a[0].s[loc[1]:])
	case "gcd", "lcm":
		x, y := big.NewInt(a[0].i), big.NewInt(a[1].i)
		g := new(big.Int).GCD(nil, nil, new(big.Int).Abs(x), new(big.Int).Abs(y))
		if e.Name == "gcd" {
			return refInt(g), true
		}
		if g.Sign() == 0 {
			return num(0)
		}
		l := new(big.Int).Mul(x, y)
		return refInt(l.Abs(l).Div(l, g)), true
	case "bit_count":
		n := 0
		for v := uint64(a[0].i); v != 0; v &= v - 1 {
			n++
		}
		return num(int64(n))
	case "even":
		r := math.Ceil(math.Abs(a[0].f))
		if math.Mod(r, 2) == 1 {
			r++
		}
		return flt(math.Copysign(r, a[0].f))
	case "cbrt":
		return flt(math.Cbrt(a[0].f))
	case "atan2":
		return flt(math.Atan2(a[0].f, a[1].f))
	case "log":
		b, x := a[0].f, a[1].f
		switch {
		case b < 0 || x < 0:
			return refErr(sqlerr.ErrInvalidValue, "logarithm of a negative number"), true
		case b == 0 || x == 0:
			return refErr(sqlerr.ErrInvalidValue, "logarithm of zero"), true
		case b == 1:
			return refErr(sqlerr.ErrDivisionByZero, "logarithm of base 1"), true
		}
		return flt(math.Log(x) / math.Log(b))
	case "trunc":
		digits := int64(0)
		if len(a) == 2 {
			digits = a[1].i
		}
		return refTrunc(a[0], digits, e.Args[0].Type(), e.T), true
	}
	return outcome{}, false
}

// refTrunc cuts x toward zero at digits after the point, in big
// rationals; the result has type out.
func refTrunc(x refVal, digits int64, in, out types.T) outcome {
	switch in.Kind {
	case types.Float64:
		if digits > 308 || math.IsInf(x.f, 0) || math.IsNaN(x.f) {
			return outcome{v: x}
		}
		if digits < -308 {
			return outcome{v: refVal{f: 0}}
		}
		p := math.Pow10(int(digits))
		r := math.Trunc(x.f*p) / p
		if math.IsInf(r, 0) || math.IsNaN(r) {
			r = x.f
		}
		return outcome{v: refVal{f: r}}
	case types.Int64:
		if digits >= 0 {
			return outcome{v: x}
		}
		if digits < -19 {
			return outcome{v: refVal{i: 0}}
		}
		unit := refPow10(int(-digits))
		q := new(big.Int).Quo(big.NewInt(x.i), unit)
		return refInt(q.Mul(q, unit))
	}
	// A DECIMAL(p,s): the value x.d / 10^s, cut, at out's scale.
	drop := int64(in.Scale) - digits
	if drop <= 0 {
		return refDec(x.d, out)
	}
	if drop > 40 {
		return refDec(new(big.Int), out)
	}
	q := new(big.Int).Quo(x.d, refPow10(int(drop))) // Quo truncates toward zero
	return refDec(q.Mul(q, refPow10(int(drop)-int(in.Scale-out.Scale))), out)
}
