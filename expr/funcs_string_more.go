package expr

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"math"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// More string functions, with DuckDB's semantics: split_part, lpad, rpad,
// ascii, chr, md5, translate. Positions and lengths count characters
// (UTF-8 code points), as the other string functions do.

func registerStringFuncsMore(r map[string]*scalarFunc) {
	r["split_part"] = &scalarFunc{bind: fixed(str, str, str, i64), eval: evalSplitPart, strict: true, cost: 1}
	r["lpad"] = &scalarFunc{bind: fixed(str, str, i64, str), eval: evalPad(true), strict: true, cost: 1}
	r["rpad"] = &scalarFunc{bind: fixed(str, str, i64, str), eval: evalPad(false), strict: true, cost: 1}
	r["ascii"] = &scalarFunc{bind: fixed(i64, str), eval: evalASCII, strict: true}
	r["chr"] = &scalarFunc{bind: fixed(str, i64), eval: evalChr, strict: true}
	r["md5"] = &scalarFunc{bind: fixed(str, str), eval: mapString(md5Hex, mapStream, md5Stream), strict: true, cost: 4}
	r["translate"] = &scalarFunc{bind: fixed(str, str, str, str), eval: evalTranslate, strict: true, cost: 2}
}

// splitPart returns the n-th (1-based) part of s split at sep; a negative
// n counts from the end (-1 is the last part), and a part that does not
// exist is empty. An empty sep splits s into its characters (DuckDB's
// string_split).
func splitPart(s, sep []byte, n int64) []byte {
	if n == 0 {
		return nil
	}
	if len(sep) == 0 {
		total := int64(utf8.RuneCount(s))
		if n < 0 {
			n = total + n + 1
		}
		if n < 1 || n > total {
			return nil
		}
		return substringRunes(s, n, 1, false)
	}
	if n < 0 {
		n = int64(bytes.Count(s, sep)) + 1 + n + 1
		if n < 1 {
			return nil
		}
	}
	for ; n > 1; n-- {
		i := bytes.Index(s, sep)
		if i < 0 {
			return nil
		}
		s = s[i+len(sep):]
	}
	if i := bytes.Index(s, sep); i >= 0 {
		return s[:i]
	}
	return s
}

func evalSplitPart(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{str, str, i64})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	s, sep, k := arrs[0].(*array.String), arrs[1].(*array.String), arrs[2].(*array.Int64).Int64Values()
	offs, data := vector.StringData(s)
	out := newStrOut(env, n, int(offs[n]-offs[0]))
	var budget byteBudget
	for i := 0; i < n; i++ {
		v := data[offs[i]:offs[i+1]]
		out.add(splitPart(v, vector.StringAt(sep, i), k[i]))
		if err := budget.add(env, len(v)); err != nil {
			return nil, err
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return out.finish(env, validity, nulls)
}

// maxPadBytes bounds one lpad or rpad result, as repeat's.
const maxPadBytes = maxRepeatBytes

// prefixBytes returns the bytes of the first k characters of s (all of
// s when it has fewer).
func prefixBytes(s []byte, k int64) int {
	if isASCII(s) {
		return int(min(k, int64(len(s))))
	}
	i := 0
	for ; k > 0 && i < len(s); k-- {
		_, w := utf8.DecodeRune(s[i:])
		i += w
	}
	return i
}

// padPlan says how lpad/rpad build one row: keep the first keep bytes of
// s and add fill characters taking padBytes bytes (padChars characters).
type padPlan struct {
	keep, padBytes int
	padChars       int64
}

// planPad plans a row padded (or cut) to width characters with fill, or
// fails: a fill is needed but empty, or the result is too large.
func planPad(s, fill []byte, width int64, left bool) (padPlan, error) {
	if width <= 0 {
		return padPlan{}, nil
	}
	chars := int64(utf8.RuneCount(s))
	if chars >= width { // DuckDB cuts to the first width characters
		return padPlan{keep: prefixBytes(s, width)}, nil
	}
	need := width - chars
	if len(fill) == 0 {
		return padPlan{}, sqlerr.New(sqlerr.ErrInvalidValue, "insufficient padding in %s: the fill is empty", padName(left))
	}
	fillChars := int64(utf8.RuneCount(fill))
	whole := need / fillChars
	if whole > int64(maxPadBytes/len(fill)) {
		return padPlan{}, sqlerr.New(sqlerr.ErrInvalidValue, "%s result larger than %d bytes", padName(left), maxPadBytes)
	}
	pb := int(whole)*len(fill) + prefixBytes(fill, need%fillChars)
	if pb+len(s) > maxPadBytes {
		return padPlan{}, sqlerr.New(sqlerr.ErrInvalidValue, "%s result larger than %d bytes", padName(left), maxPadBytes)
	}
	return padPlan{keep: len(s), padBytes: pb, padChars: need}, nil
}

func padName(left bool) string {
	if left {
		return "lpad"
	}
	return "rpad"
}

// appendFillChecked appends nbytes bytes of fill repeated (a whole number
// of characters, from planPad), with checks (fillChecked).
func appendFillChecked(env Env, dst, fill []byte, nbytes int) ([]byte, error) {
	if nbytes == 0 {
		return dst, nil // the fill may be empty
	}
	dst, err := growChecked(env, dst, nbytes)
	if err != nil {
		return dst, err
	}
	n := len(dst)
	dst = dst[:n+nbytes]
	return dst, fillChecked(env, dst[n:], fill)
}

func evalPad(left bool) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		arrs, err := materialise(env, n, args, []types.T{str, i64, str})
		if err != nil {
			return nil, err
		}
		defer releaseArrays(arrs)
		s, w, fill := arrs[0].(*array.String), arrs[1].(*array.Int64).Int64Values(), arrs[2].(*array.String)
		valid := func(i int) bool { return s.IsValid(i) && arrs[1].IsValid(i) && fill.IsValid(i) }
		// Plan every row first: the output's size is known before any of
		// it is written, and an oversized batch can be split.
		plans := make([]padPlan, n)
		total := 0
		for i := range plans {
			if !valid(i) {
				continue
			}
			if plans[i], err = planPad(vector.StringAt(s, i), vector.StringAt(fill, i), w[i], left); err != nil {
				return nil, err
			}
			total = min(total+plans[i].keep+plans[i].padBytes, maxStringBytes+1)
		}
		if total > maxStringBytes {
			return nil, errStringTooBig()
		}
		if err := wantsSplit(env, n, total); err != nil {
			return nil, err
		}
		out := newStrOut(env, n, total)
		var budget byteBudget
		for i, p := range plans {
			v, f := vector.StringAt(s, i), vector.StringAt(fill, i)
			if left {
				out.data, err = appendFillChecked(env, out.data, f, p.padBytes)
			}
			if err == nil {
				out.data, err = appendChecked(env, out.data, v[:p.keep])
			}
			if err == nil && !left {
				out.data, err = appendFillChecked(env, out.data, f, p.padBytes)
			}
			if err != nil {
				return nil, err
			}
			out.endRow()
			if err := budget.add(env, p.keep+p.padBytes); err != nil {
				return nil, err
			}
		}
		validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
		return out.finish(env, validity, nulls)
	}
}

// evalASCII is the code point of the first character (0 for an empty
// string).
func evalASCII(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	a, err := argArray(env, args[0], str, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	offs, data := vector.StringData(a.(*array.String))
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i := range out {
		if s := data[offs[i]:offs[i+1]]; len(s) > 0 {
			r, _ := utf8.DecodeRune(s)
			out[i] = int64(r)
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

// evalChr is the character of a code point; surrogates and values beyond
// U+10FFFF are errors, as in DuckDB.
func evalChr(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	a, err := argArray(env, args[0], i64, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	out := newStrOut(env, n, n)
	for i, c := range a.(*array.Int64).Int64Values() {
		if a.IsNull(i) {
			out.endRow()
			continue
		}
		if c < 0 || c > math.MaxInt32 || !utf8.ValidRune(rune(c)) {
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "chr: invalid UTF-8 code point %d", c)
		}
		out.data = utf8.AppendRune(out.data, rune(c))
		out.endRow()
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return out.finish(env, validity, nulls)
}

func md5Hex(dst, s []byte) []byte {
	sum := md5.Sum(s)
	return hex.AppendEncode(dst, sum[:])
}

// md5Stream is md5Hex of a long s, hashed copyPiece bytes between two
// spends.
func md5Stream(env Env, dst, s []byte) ([]byte, error) {
	h := md5.New()
	for len(s) > 0 {
		k := min(len(s), copyPiece)
		h.Write(s[:k])
		s = s[k:]
		if err := env.Spend(copyUnits); err != nil {
			return dst, err
		}
	}
	return hex.AppendEncode(dst, h.Sum(nil)), nil
}

// translator maps the characters of from to those at the same place in
// to, deleting those beyond its end; of repeated characters in from the
// first counts, as in DuckDB (translate('aaa', 'aa', 'bc') is 'bbb'). A
// character is its UTF-8 bytes, and a byte that is not valid UTF-8 one
// on its own, so that such bytes pass through unchanged.
type translator struct {
	to   [][]byte
	pos  map[string]int
	from []byte // the from and to it was built for
	toS  []byte
}

// nextChar returns the bytes of s's first character.
func nextChar(s []byte) []byte {
	_, w := utf8.DecodeRune(s)
	return s[:w]
}

func (t *translator) reset(from, to []byte) {
	t.from, t.toS = append(t.from[:0], from...), append(t.toS[:0], to...)
	t.to = t.to[:0]
	for rest := t.toS; len(rest) > 0; {
		c := nextChar(rest)
		t.to = append(t.to, c)
		rest = rest[len(c):]
	}
	clear(t.pos)
	if t.pos == nil {
		t.pos = map[string]int{}
	}
	for i, rest := 0, from; len(rest) > 0; i++ {
		c := nextChar(rest)
		if _, seen := t.pos[string(c)]; !seen {
			t.pos[string(c)] = i
		}
		rest = rest[len(c):]
	}
}

func (t *translator) apply(dst, s []byte) []byte {
	for len(s) > 0 {
		c := nextChar(s)
		s = s[len(c):]
		i, ok := t.pos[string(c)]
		switch {
		case !ok:
			dst = append(dst, c...)
		case i < len(t.to):
			dst = append(dst, t.to[i]...)
		}
	}
	return dst
}

func evalTranslate(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{str, str, str})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	s, from, to := arrs[0].(*array.String), arrs[1].(*array.String), arrs[2].(*array.String)
	offs, data := vector.StringData(s)
	out := newStrOut(env, n, int(offs[n]-offs[0]))
	var t translator
	var budget byteBudget
	for i := 0; i < n; i++ {
		f, g := vector.StringAt(from, i), vector.StringAt(to, i)
		if i == 0 || !bytes.Equal(f, t.from) || !bytes.Equal(g, t.toS) {
			t.reset(f, g)
		}
		v := data[offs[i]:offs[i+1]]
		if len(v) <= copyPiece {
			out.data = t.apply(out.data, v)
		} else if out.data, err = mapPieces(env, out.data, v, t.apply, false); err != nil {
			return nil, err
		}
		out.endRow()
		if err := budget.add(env, len(v)+len(f)); err != nil {
			return nil, err
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return out.finish(env, validity, nulls)
}
