package expr

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// The reference evaluator computes an expression one row at a time,
// straight from the SQL semantics minisql documents (DuckDB's, where the
// code does not say otherwise). It shares no code with the vectorized
// kernels: integers and decimals are computed with math/big and range
// checked, dates with the time package, strings rune by rune. FuzzEval
// compares the two.

// refVal is one SQL value. Which field holds it depends on the type, as
// for Datum; decimals are unscaled big integers.
type refVal struct {
	null   bool
	i      int64 // BIGINT, DATE (days), BOOLEAN (0 or 1)
	f      float64
	d      *big.Int
	s      string
	months int64
	days   int64
}

var refNull = refVal{null: true}

func refBool(b bool) refVal {
	if b {
		return refVal{i: 1}
	}
	return refVal{}
}

// outcome is what the reference says about one expression on one row: a
// value, or an error the engine must report (err), plus the errors the
// engine may report instead of the value (maybe): SQL does not say
// whether an operand whose value cannot matter (the other side of a false
// AND, an operand next to a NULL) is evaluated.
type outcome struct {
	v     refVal
	err   error
	maybe []error
}

func refErr(kind error, format string, args ...any) outcome {
	return outcome{err: sqlerr.New(kind, format, args...)}
}

// refEval evaluates expressions over rows of Go values.
type refEval struct {
	rows [][]refVal // rows[r][col]
}

// eval computes e on row r.
func (re *refEval) eval(e Expr, r int) outcome {
	switch e := e.(type) {
	case *ColumnRef:
		return outcome{v: re.rows[r][e.Index]}
	case *Literal:
		return outcome{v: refFromDatum(e.Value, e.T)}
	case *Binary:
		return re.binary(e, r)
	case *And:
		return re.logic(e.Args, r, true)
	case *Or:
		return re.logic(e.Args, r, false)
	case *Not:
		o := re.eval(e.X, r)
		if o.err == nil && !o.v.null {
			o.v = refBool(o.v.i == 0)
		}
		return o
	case *IsNull:
		o := re.eval(e.X, r)
		if o.err == nil {
			o.v = refBool(o.v.null != e.Negated)
		}
		return o
	case *InList:
		return re.inList(e, r)
	case *Like:
		return re.like(e, r)
	case *Case:
		return re.caseExpr(e, r)
	case *Cast:
		o := re.eval(e.X, r)
		if o.err != nil || o.v.null {
			return o
		}
		c := refCast(o.v, e.X.Type(), e.To)
		c.maybe = append(c.maybe, o.maybe...)
		return c
	case *Func:
		return re.call(e, r)
	}
	return refErr(sqlerr.ErrInternal, "reference: %T", e)
}

// strict evaluates operands for a node that is NULL when any operand is:
// an operand's error is certain only when no other operand is NULL. It
// returns done when the outcome is already decided.
func (re *refEval) strict(args []Expr, r int) ([]refVal, outcome, bool) {
	vals := make([]refVal, len(args))
	var out outcome
	var firstErr error
	anyNull := false
	for i, a := range args {
		o := re.eval(a, r)
		out.maybe = append(out.maybe, o.maybe...)
		switch {
		case o.err != nil:
			out.maybe = append(out.maybe, o.err)
			if firstErr == nil {
				firstErr = o.err
			}
		case o.v.null:
			anyNull = true
		}
		vals[i] = o.v
	}
	switch {
	case anyNull:
		out.v = refNull
		return nil, out, true
	case firstErr != nil:
		out.err = firstErr
		return nil, out, true
	}
	return vals, out, false
}

func (re *refEval) logic(args []Expr, r int, isAnd bool) outcome {
	var out outcome
	var firstErr error
	decided, anyNull := false, false
	for _, a := range args {
		o := re.eval(a, r)
		out.maybe = append(out.maybe, o.maybe...)
		switch {
		case o.err != nil:
			out.maybe = append(out.maybe, o.err)
			if firstErr == nil {
				firstErr = o.err
			}
		case o.v.null:
			anyNull = true
		case (o.v.i != 0) != isAnd:
			decided = true // a false AND, a true OR
		}
	}
	switch {
	case decided:
		out.v = refBool(!isAnd)
	case firstErr != nil:
		out.err = firstErr
	case anyNull:
		out.v = refNull
	default:
		out.v = refBool(isAnd)
	}
	return out
}

func (re *refEval) binary(e *Binary, r int) outcome {
	vals, out, done := re.strict([]Expr{e.L, e.R}, r)
	if done {
		return out
	}
	x, y := vals[0], vals[1]
	t := e.L.Type()
	var o outcome
	if e.Op.IsComparison() {
		c := refCompare(x, y, t)
		var b bool
		switch e.Op {
		case OpEq:
			b = c == 0
		case OpNe:
			b = c != 0
		case OpLt:
			b = c < 0
		case OpLe:
			b = c <= 0
		case OpGt:
			b = c > 0
		case OpGe:
			b = c >= 0
		}
		o = outcome{v: refBool(b)}
	} else {
		o = refArith(e.Op, x, y, e.L.Type(), e.T)
	}
	o.maybe = append(o.maybe, out.maybe...)
	return o
}

// refCompare orders two non-NULL values of type t. Doubles order NaN above
// everything and equal to itself, as DuckDB does.
func refCompare(x, y refVal, t types.T) int {
	switch t.Kind {
	case types.Float64:
		xn, yn := math.IsNaN(x.f), math.IsNaN(y.f)
		switch {
		case xn && yn:
			return 0
		case xn:
			return 1
		case yn:
			return -1
		case x.f < y.f:
			return -1
		case x.f > y.f:
			return 1
		}
		return 0
	case types.Decimal:
		return x.d.Cmp(y.d)
	case types.String:
		return strings.Compare(x.s, y.s)
	}
	switch {
	case x.i < y.i:
		return -1
	case x.i > y.i:
		return 1
	}
	return 0
}

var (
	bigMinInt64 = big.NewInt(math.MinInt64)
	bigMaxInt64 = big.NewInt(math.MaxInt64)
)

func refPow10(n int) *big.Int { return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil) }

// fitsDigits reports whether |v| < 10^p.
func fitsDigits(v *big.Int, p int) bool { return new(big.Int).Abs(v).Cmp(refPow10(p)) < 0 }

func refInt(v *big.Int) outcome {
	if v.Cmp(bigMinInt64) < 0 || v.Cmp(bigMaxInt64) > 0 {
		return refErr(sqlerr.ErrOverflow, "BIGINT out of range")
	}
	return outcome{v: refVal{i: v.Int64()}}
}

func refDec(v *big.Int, t types.T) outcome {
	if !fitsDigits(v, int(t.Precision)) {
		return refErr(sqlerr.ErrOverflow, "%s out of range", t)
	}
	return outcome{v: refVal{d: v}}
}

func refArith(op BinOp, x, y refVal, operand, result types.T) outcome {
	divZero := refErr(sqlerr.ErrDivisionByZero, "")
	switch result.Kind {
	case types.Int64:
		a, b := big.NewInt(x.i), big.NewInt(y.i)
		switch op {
		case OpAdd:
			return refInt(a.Add(a, b))
		case OpSub:
			return refInt(a.Sub(a, b))
		case OpMul:
			return refInt(a.Mul(a, b))
		case OpIntDiv:
			if y.i == 0 {
				return divZero
			}
			return refInt(a.Quo(a, b)) // truncated toward zero
		case OpMod:
			if y.i == 0 {
				return divZero
			}
			if x.i == math.MinInt64 && y.i == -1 { // DuckDB reports an overflow here too
				return refErr(sqlerr.ErrOverflow, "BIGINT out of range")
			}
			return refInt(a.Rem(a, b)) // the sign of the dividend
		}
	case types.Float64:
		switch op {
		case OpAdd:
			return outcome{v: refVal{f: x.f + y.f}}
		case OpSub:
			return outcome{v: refVal{f: x.f - y.f}}
		case OpMul:
			return outcome{v: refVal{f: x.f * y.f}}
		case OpDiv:
			if y.f == 0 {
				return divZero
			}
			return outcome{v: refVal{f: x.f / y.f}}
		case OpMod:
			if y.f == 0 {
				return divZero
			}
			return outcome{v: refVal{f: math.Mod(x.f, y.f)}}
		}
	case types.Decimal:
		// + - and % see operands at the result's scale, * at scales that
		// add up to it: the unscaled integers combine directly.
		switch op {
		case OpAdd:
			return refDec(new(big.Int).Add(x.d, y.d), result)
		case OpSub:
			return refDec(new(big.Int).Sub(x.d, y.d), result)
		case OpMul:
			return refDec(new(big.Int).Mul(x.d, y.d), result)
		case OpMod:
			if y.d.Sign() == 0 {
				return divZero
			}
			return refDec(new(big.Int).Rem(x.d, y.d), result)
		}
	}
	return refErr(sqlerr.ErrInternal, "reference: %s over %s", op, operand)
}

func (re *refEval) inList(e *InList, r int) outcome {
	x := re.eval(e.X, r)
	if x.err != nil || x.v.null {
		return x
	}
	t := e.X.Type()
	sawNull := false
	for _, item := range e.List {
		o := re.eval(item, r)
		x.maybe = append(x.maybe, o.maybe...)
		if o.err != nil {
			return outcome{err: o.err, maybe: x.maybe}
		}
		if o.v.null {
			sawNull = true
			continue
		}
		if refCompare(x.v, o.v, t) == 0 {
			x.v = refBool(!e.Negated)
			return x
		}
	}
	if sawNull {
		x.v = refNull
	} else {
		x.v = refBool(e.Negated)
	}
	return x
}

func (re *refEval) like(e *Like, r int) outcome {
	vals, out, done := re.strict([]Expr{e.X, e.Pattern}, r)
	if done {
		return out
	}
	out.v = refBool(likeRegexp(vals[1].s, e.Escape).MatchString(vals[0].s) != e.Negated)
	return out
}

// likeRegexp translates a LIKE pattern into an anchored regular
// expression: % is any run of characters, _ one character, and the escape
// character makes the next one literal.
func likeRegexp(p string, escape byte) *regexp.Regexp {
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case escape != 0 && c == escape && i+1 < len(p):
			_, w := utf8.DecodeRuneInString(p[i+1:])
			b.WriteString(regexp.QuoteMeta(p[i+1 : i+1+w]))
			i += 1 + w
			continue
		case c == '%':
			b.WriteString(`.*`)
		case c == '_':
			b.WriteString(`.`)
		default:
			_, w := utf8.DecodeRuneInString(p[i:])
			b.WriteString(regexp.QuoteMeta(p[i : i+w]))
			i += w
			continue
		}
		i++
	}
	b.WriteString(`\z`)
	return regexp.MustCompile(b.String())
}

func (re *refEval) caseExpr(e *Case, r int) outcome {
	var maybe []error
	for _, w := range e.Whens {
		c := re.eval(w.Cond, r)
		maybe = append(maybe, c.maybe...)
		if c.err != nil {
			return outcome{err: c.err, maybe: maybe}
		}
		if !c.v.null && c.v.i != 0 {
			o := re.eval(w.Then, r)
			o.maybe = append(o.maybe, maybe...)
			return o
		}
	}
	if e.Else == nil {
		return outcome{v: refNull, maybe: maybe}
	}
	o := re.eval(e.Else, r)
	o.maybe = append(o.maybe, maybe...)
	return o
}

// refFromDatum converts a literal's Datum.
func refFromDatum(d Datum, t types.T) refVal {
	if !d.Valid {
		return refNull
	}
	switch t.Kind {
	case types.Float64:
		return refVal{f: d.F}
	case types.Decimal:
		return refVal{d: d.D.BigInt()}
	case types.String:
		return refVal{s: d.S}
	case types.Interval:
		return refVal{months: int64(d.Months), days: int64(d.Days)}
	}
	return refVal{i: d.I}
}

// Casts.

var decimalText = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// roundHalfAway returns the nearest integer to a rational, halves away
// from zero.
func roundHalfAway(q *big.Rat) *big.Int {
	num, den := new(big.Int).Abs(q.Num()), q.Denom()
	twice := new(big.Int).Mul(num, big.NewInt(2))
	twice.Add(twice, den)
	out := twice.Quo(twice, new(big.Int).Mul(den, big.NewInt(2)))
	if q.Sign() < 0 {
		out.Neg(out)
	}
	return out
}

func refCast(v refVal, from, to types.T) outcome {
	if from == to {
		return outcome{v: v}
	}
	bad := func(text string) outcome {
		return refErr(sqlerr.ErrInvalidValue, "could not convert %q to %s", text, to)
	}
	overflow := refErr(sqlerr.ErrOverflow, "out of range for %s", to)
	switch to.Kind {
	case types.String:
		return outcome{v: refVal{s: refText(v, from)}}
	case types.Int64:
		switch from.Kind {
		case types.Bool:
			return outcome{v: refVal{i: v.i}}
		case types.Float64:
			rf := math.RoundToEven(v.f)
			if math.IsNaN(rf) || math.IsInf(rf, 0) {
				return overflow
			}
			n, _ := new(big.Float).SetFloat64(rf).Int(nil)
			o := refInt(n)
			if o.err != nil {
				return overflow
			}
			return o
		case types.Decimal:
			n := roundHalfAway(new(big.Rat).SetFrac(v.d, refPow10(int(from.Scale))))
			o := refInt(n)
			if o.err != nil {
				return overflow
			}
			return o
		case types.String:
			txt := strings.TrimSpace(v.s)
			if n, err := strconv.ParseInt(txt, 10, 64); err == nil {
				return outcome{v: refVal{i: n}}
			}
			f, err := strconv.ParseFloat(txt, 64)
			if err != nil {
				return bad(v.s)
			}
			return refCast(refVal{f: f}, types.Float64Type, to)
		}
	case types.Float64:
		switch from.Kind {
		case types.Bool, types.Int64:
			return outcome{v: refVal{f: float64(v.i)}}
		case types.Decimal:
			f, _ := new(big.Rat).SetFrac(v.d, refPow10(int(from.Scale))).Float64()
			return outcome{v: refVal{f: f}}
		case types.String:
			f, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
			if err != nil && !errors.Is(err, strconv.ErrRange) {
				return bad(v.s)
			}
			return outcome{v: refVal{f: f}}
		}
	case types.Decimal:
		var q *big.Rat
		switch from.Kind {
		case types.Int64:
			q = new(big.Rat).SetInt64(v.i)
		case types.Decimal:
			q = new(big.Rat).SetFrac(v.d, refPow10(int(from.Scale)))
		case types.Float64:
			if math.IsNaN(v.f) || math.IsInf(v.f, 0) {
				return overflow
			}
			q = new(big.Rat).SetFloat64(v.f)
		case types.String:
			txt := strings.TrimSpace(v.s)
			if !decimalText.MatchString(txt) || significantDigits(txt) > types.MaxDecimalPrecision {
				return bad(v.s)
			}
			var ok bool
			if q, ok = new(big.Rat).SetString(txt); !ok {
				return bad(v.s)
			}
		default:
			return refErr(sqlerr.ErrType, "cannot cast %s to %s", from, to)
		}
		n := roundHalfAway(q.Mul(q, new(big.Rat).SetInt(refPow10(int(to.Scale)))))
		if !fitsDigits(n, int(to.Precision)) {
			return overflow
		}
		return outcome{v: refVal{d: n}}
	case types.Bool:
		switch from.Kind {
		case types.Int64:
			return outcome{v: refBool(v.i != 0)}
		case types.Float64:
			return outcome{v: refBool(v.f != 0)}
		case types.Decimal:
			return outcome{v: refBool(v.d.Sign() != 0)}
		case types.String:
			switch strings.ToLower(strings.TrimSpace(v.s)) {
			case "true", "t", "1", "yes", "y":
				return outcome{v: refBool(true)}
			case "false", "f", "0", "no", "n":
				return outcome{v: refBool(false)}
			}
			return bad(v.s)
		}
	case types.Date:
		if from.Kind == types.String {
			days, ok := refParseDate(strings.TrimSpace(v.s))
			if !ok {
				return bad(v.s)
			}
			return outcome{v: refVal{i: days}}
		}
	}
	return refErr(sqlerr.ErrType, "cannot cast %s to %s", from, to)
}

// significantDigits counts the digits a decimal literal writes, leading
// zeros of the integer part aside (the parser's 38-digit limit).
func significantDigits(txt string) int {
	body := strings.TrimLeft(txt, "+-")
	if i := strings.IndexAny(body, "eE"); i >= 0 {
		body = body[:i]
	}
	intPart, frac, _ := strings.Cut(body, ".")
	return len(strings.TrimLeft(intPart, "0")) + len(frac)
}

// refText renders a value as CAST(x AS VARCHAR) does.
func refText(v refVal, t types.T) string {
	switch t.Kind {
	case types.Bool:
		if v.i != 0 {
			return "true"
		}
		return "false"
	case types.Int64:
		return strconv.FormatInt(v.i, 10)
	case types.Float64:
		switch {
		case math.IsNaN(v.f):
			return "nan"
		case math.IsInf(v.f, 1):
			return "inf"
		case math.IsInf(v.f, -1):
			return "-inf"
		}
		return refFloatText(v.f)
	case types.Decimal:
		digits := new(big.Int).Abs(v.d).String()
		s := int(t.Scale)
		if s > 0 {
			if len(digits) <= s {
				digits = strings.Repeat("0", s-len(digits)+1) + digits
			}
			digits = digits[:len(digits)-s] + "." + digits[len(digits)-s:]
		}
		if v.d.Sign() < 0 {
			return "-" + digits
		}
		return digits
	case types.Date:
		y, m, d := refCivil(v.i)
		if y < 0 || y > 9999 {
			return strconv.Itoa(y) + "-" + twoDigits(m) + "-" + twoDigits(d)
		}
		return strings.Repeat("0", 4-len(strconv.Itoa(y))) + strconv.Itoa(y) + "-" + twoDigits(m) + "-" + twoDigits(d)
	}
	return v.s
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Dates, with the time package's proleptic Gregorian calendar.

func refTime(days int64) time.Time { return time.Unix(days*86400, 0).UTC() }

func refCivil(days int64) (y, m, d int) {
	tm := refTime(days)
	return tm.Year(), int(tm.Month()), tm.Day()
}

// refDays converts a civil date (any month number and day, normalised as
// time.Date does) to days since 1970-01-01.
func refDays(y, m, d int) int64 {
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func refDate(days int64) outcome {
	if days < math.MinInt32 || days > math.MaxInt32 {
		return refErr(sqlerr.ErrOverflow, "date out of range")
	}
	return outcome{v: refVal{i: days}}
}

// refParseDate reads [-]Y-M-D with 1 to 9 digits per part and checks
// that the day exists.
func refParseDate(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	parts := strings.Split(strings.TrimPrefix(s, "-"), "-")
	if len(parts) != 3 {
		return 0, false
	}
	var n [3]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 9 || strings.Trim(p, "0123456789") != "" {
			return 0, false
		}
		n[i], _ = strconv.Atoi(p)
	}
	if neg {
		n[0] = -n[0]
	}
	if n[1] < 1 || n[1] > 12 || n[2] < 1 {
		return 0, false
	}
	days := refDays(n[0], n[1], n[2])
	if y, m, d := refCivil(days); y != n[0] || m != n[1] || d != n[2] {
		return 0, false // Feb 30 and friends
	}
	return days, days >= math.MinInt32 && days <= math.MaxInt32
}

// refAddMonths adds months, clamping the day to the end of the month.
func refAddMonths(days, months int64) int64 {
	y, m, d := refCivil(days)
	total := int64(y)*12 + int64(m-1) + months
	ny := int(total / 12)
	nm := int(total % 12)
	if nm < 0 {
		nm += 12
		ny--
	}
	last := refCivilDay(refDays(ny, nm+2, 0)) // day 0 of the next month
	return refDays(ny, nm+1, min(d, last))
}

func refCivilDay(days int64) int { _, _, d := refCivil(days); return d }

func refDatePart(part string, days int64) int64 {
	tm := refTime(days)
	switch part {
	case "year", "years", "yr", "y":
		return int64(tm.Year())
	case "month", "months", "mon":
		return int64(tm.Month())
	case "day", "days", "d", "dayofmonth":
		return int64(tm.Day())
	case "quarter":
		return int64(tm.Month()-1)/3 + 1
	case "dow", "dayofweek":
		return int64(tm.Weekday()) // Sunday = 0
	case "doy", "dayofyear":
		return int64(tm.YearDay())
	case "week", "weeks":
		_, w := tm.ISOWeek()
		return int64(w)
	case "epoch":
		return days * 86400
	}
	return -1
}

func refDateTrunc(part string, days int64) int64 {
	y, m, _ := refCivil(days)
	switch part {
	case "year":
		return refDays(y, 1, 1)
	case "quarter":
		return refDays(y, (m-1)/3*3+1, 1)
	case "month":
		return refDays(y, m, 1)
	case "week":
		wd := (int64(refTime(days).Weekday()) + 6) % 7 // Monday = 0
		return days - wd
	}
	return days
}

// Strings, rune by rune (an invalid byte is one character).

func runesOf(s string) []string {
	var out []string
	for len(s) > 0 {
		_, w := utf8.DecodeRuneInString(s)
		out = append(out, s[:w])
		s = s[w:]
	}
	return out
}

// satAdd adds without overflowing int64.
func satAdd(a, b int64) int64 {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) {
		if a > 0 {
			return math.MaxInt64
		}
		return math.MinInt64
	}
	return s
}

// refSubstring follows DuckDB's substring(s, start, count): start is
// 1-based, a negative start counts from the end, start 0 is the position
// before the first character, a negative count takes the characters before
// start, and whatever of the window lies outside the string is cut off
// (substring('hello', -7, 3) is 'h', substring('hello', 3, -2) 'he').
// Every position is tried against the window, in big integers.
func refSubstring(s string, start, count int64, all bool) string {
	chars := runesOf(s)
	n := big.NewInt(int64(len(chars)))
	p := big.NewInt(start)
	if start < 0 {
		p.Add(p, n).Add(p, big.NewInt(1))
	}
	c := big.NewInt(count)
	lo, hi := new(big.Int).Set(p), new(big.Int).Add(p, c)
	switch {
	case all: // to the end
		hi.Add(n, big.NewInt(1))
	case c.Sign() < 0:
		lo, hi = hi, p
	}
	var out []string
	for i, ch := range chars {
		pos := big.NewInt(int64(i + 1))
		if pos.Cmp(lo) >= 0 && pos.Cmp(hi) < 0 {
			out = append(out, ch)
		}
	}
	return strings.Join(out, "")
}

func (re *refEval) call(e *Func, r int) outcome {
	switch e.Name {
	case "concat":
		var b strings.Builder
		var out outcome
		for _, a := range e.Args {
			o := re.eval(a, r)
			out.maybe = append(out.maybe, o.maybe...)
			if o.err != nil {
				return outcome{err: o.err, maybe: out.maybe}
			}
			if !o.v.null {
				b.WriteString(o.v.s)
			}
		}
		out.v = refVal{s: b.String()}
		return out
	case "greatest", "least":
		var out outcome
		best := refNull
		for _, a := range e.Args {
			o := re.eval(a, r)
			out.maybe = append(out.maybe, o.maybe...)
			if o.err != nil {
				return outcome{err: o.err, maybe: out.maybe}
			}
			if o.v.null {
				continue
			}
			c := 0
			if !best.null {
				c = refCompare(o.v, best, e.T)
			}
			if best.null || (e.Name == "greatest" && c > 0) || (e.Name == "least" && c < 0) {
				best = o.v
			}
		}
		out.v = best
		return out
	}
	vals, out, done := re.strict(e.Args, r)
	if done {
		return out
	}
	o := refFunc(e, vals)
	o.maybe = append(o.maybe, out.maybe...)
	return o
}

// refFunc computes a strict function on non-NULL arguments.
func refFunc(e *Func, a []refVal) outcome {
	ok := func(v refVal) outcome { return outcome{v: v} }
	str := func(s string) outcome { return ok(refVal{s: s}) }
	num := func(i int64) outcome { return ok(refVal{i: i}) }
	flt := func(f float64) outcome { return ok(refVal{f: f}) }
	t := e.T
	switch e.Name {
	case "||":
		return str(a[0].s + a[1].s)
	case "upper":
		return str(strings.ToUpper(a[0].s))
	case "lower":
		return str(strings.ToLower(a[0].s))
	case "length":
		return num(int64(utf8.RuneCountInString(a[0].s)))
	case "octet_length":
		return num(int64(len(a[0].s)))
	case "reverse":
		ch := runesOf(a[0].s)
		for i, j := 0, len(ch)-1; i < j; i, j = i+1, j-1 {
			ch[i], ch[j] = ch[j], ch[i]
		}
		return str(strings.Join(ch, ""))
	case "substring":
		if len(a) == 2 {
			return str(refSubstring(a[0].s, a[1].i, 0, true))
		}
		return str(refSubstring(a[0].s, a[1].i, a[2].i, false))
	case "left", "right":
		ch := runesOf(a[0].s)
		n, k := int64(len(ch)), a[1].i
		if k < 0 {
			k = max(satAdd(n, k), 0) // all but |k| characters
		}
		k = min(k, n)
		if e.Name == "left" {
			return str(strings.Join(ch[:k], ""))
		}
		return str(strings.Join(ch[n-k:], ""))
	case "trim", "ltrim", "rtrim":
		cut := " "
		if len(a) == 2 {
			cut = a[1].s
		}
		switch e.Name {
		case "trim":
			return str(strings.Trim(a[0].s, cut))
		case "ltrim":
			return str(strings.TrimLeft(a[0].s, cut))
		}
		return str(strings.TrimRight(a[0].s, cut))
	case "replace":
		if a[1].s == "" {
			return str(a[0].s) // nothing to replace, as in DuckDB
		}
		return str(strings.ReplaceAll(a[0].s, a[1].s, a[2].s))
	case "strpos":
		k := strings.Index(a[0].s, a[1].s)
		if k < 0 {
			return num(0)
		}
		return num(int64(utf8.RuneCountInString(a[0].s[:k])) + 1)
	case "starts_with":
		return ok(refBool(strings.HasPrefix(a[0].s, a[1].s)))
	case "ends_with":
		return ok(refBool(strings.HasSuffix(a[0].s, a[1].s)))
	case "contains":
		return ok(refBool(strings.Contains(a[0].s, a[1].s)))
	case "repeat":
		k := max(a[1].i, 0)
		if k > 0 && int64(len(a[0].s)) > (1<<26)/k {
			return refErr(sqlerr.ErrInvalidValue, "repeat result too large")
		}
		return str(strings.Repeat(a[0].s, int(k)))
	case "abs", "negate":
		neg := e.Name == "negate"
		switch t.Kind {
		case types.Int64:
			v := big.NewInt(a[0].i)
			if neg || a[0].i < 0 {
				v.Neg(v)
			}
			return refInt(v)
		case types.Float64:
			if neg {
				return flt(-a[0].f)
			}
			return flt(math.Abs(a[0].f))
		}
		v := new(big.Int).Set(a[0].d)
		if neg {
			v.Neg(v)
		} else {
			v.Abs(v)
		}
		return refDec(v, t)
	case "round":
		digits := int64(0)
		if len(a) == 2 {
			digits = a[1].i
		}
		return refRound(a[0], digits, e.Args[0].Type(), t)
	case "floor", "ceil", "ceiling":
		up := e.Name != "floor"
		in := e.Args[0].Type()
		if in.Kind == types.Float64 {
			if up {
				return flt(math.Ceil(a[0].f))
			}
			return flt(math.Floor(a[0].f))
		}
		if in.Kind == types.Int64 {
			return num(a[0].i)
		}
		unit := refPow10(int(in.Scale))
		q := new(big.Int)
		if up {
			q.Div(new(big.Int).Neg(a[0].d), unit) // Euclidean: floor for a positive divisor
			q.Neg(q)
		} else {
			q.Div(a[0].d, unit)
		}
		return refDec(q, t)
	case "sqrt":
		if a[0].f < 0 {
			return refErr(sqlerr.ErrInvalidValue, "square root of a negative number")
		}
		return flt(math.Sqrt(a[0].f))
	case "ln", "log10", "log2":
		if a[0].f <= 0 {
			return refErr(sqlerr.ErrInvalidValue, "logarithm of zero or a negative number")
		}
		return flt(map[string]func(float64) float64{"ln": math.Log, "log10": math.Log10, "log2": math.Log2}[e.Name](a[0].f))
	case "exp":
		return flt(math.Exp(a[0].f))
	case "sin":
		return flt(math.Sin(a[0].f))
	case "cos":
		return flt(math.Cos(a[0].f))
	case "tan":
		return flt(math.Tan(a[0].f))
	case "atan":
		return flt(math.Atan(a[0].f))
	case "power", "pow":
		return flt(math.Pow(a[0].f, a[1].f))
	case "sign":
		switch {
		case a[0].f > 0:
			return num(1)
		case a[0].f < 0:
			return num(-1)
		}
		return num(0)
	case "extract", "date_part", "datepart":
		part := strings.ToLower(a[0].s)
		if refDatePart(part, 0) < 0 && part != "year" {
			return refErr(sqlerr.ErrNotSupported, "extract(%s)", part)
		}
		return num(refDatePart(part, a[1].i))
	case "year", "month", "day", "quarter", "dayofweek", "dayofyear", "week", "dayofmonth":
		return num(refDatePart(e.Name, a[0].i))
	case "date_trunc":
		return refDate(refDateTrunc(strings.ToLower(a[0].s), a[1].i))
	case "date_add", "date_sub":
		m, d := a[1].months, a[1].days
		if e.Name == "date_sub" {
			m, d = -m, -d
		}
		days := a[0].i
		if m != 0 {
			days = refAddMonths(days, m)
		}
		return refDate(days + d)
	case "date_add_days":
		return refDate(a[0].i + a[1].i)
	case "date_diff_days":
		return num(a[0].i - a[1].i)
	}
	if o, ok := refFuncMore(e, a); ok {
		return o
	}
	return refErr(sqlerr.ErrInternal, "reference: function %s", e.Name)
}

// refRound is round(x, digits): the nearest multiple of 10^-digits, halves
// away from zero (a negative digits rounds to tens, hundreds, ...). A
// double keeps its value where the scaled value is not finite, as in
// DuckDB.
func refRound(x refVal, digits int64, in, out types.T) outcome {
	switch in.Kind {
	case types.Float64:
		switch {
		case digits > 308: // every double is already round
			return outcome{v: x}
		case digits < -308: // every double rounds to 0
			return outcome{v: refVal{f: 0}}
		}
		p := math.Pow10(int(digits))
		r := math.Round(x.f*p) / p
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
		q := roundHalfAway(new(big.Rat).SetFrac(big.NewInt(x.i), unit))
		return refInt(q.Mul(q, unit))
	}
	drop := int64(in.Scale) - digits
	if drop <= 0 {
		return refDec(x.d, out)
	}
	if drop > 40 {
		return refDec(new(big.Int), out)
	}
	unit := refPow10(int(drop))
	q := roundHalfAway(new(big.Rat).SetFrac(x.d, unit))
	// out has the input's scale.
	return refDec(q.Mul(q, unit), out)
}

// refFloatText is DuckDB's (Python's repr) text of a finite double, built
// from the shortest digits by hand: d.ddde±XX when the decimal exponent is
// below -4 or at least 16, else the digits with the point placed and at
// least one digit after it.
func refFloatText(f float64) string {
	sci := strconv.FormatFloat(f, 'e', -1, 64) // -d.ddde±XX
	mant, expText, _ := strings.Cut(sci, "e")
	exp, _ := strconv.Atoi(expText)
	if f != 0 && (exp < -4 || exp >= 16) {
		return sci
	}
	neg := strings.HasPrefix(mant, "-")
	digits := strings.Replace(strings.TrimPrefix(mant, "-"), ".", "", 1)
	var out string
	switch {
	case exp < 0:
		out = "0." + strings.Repeat("0", -exp-1) + digits
	case exp+1 >= len(digits):
		out = digits + strings.Repeat("0", exp+1-len(digits)) + ".0"
	default:
		out = digits[:exp+1] + "." + digits[exp+1:]
	}
	if neg {
		out = "-" + out
	}
	return out
}
