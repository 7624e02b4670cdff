package expr

import (
	"bytes"
	"encoding/binary"
	"math"
	"unicode/utf8"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

var (
	str = types.StringType
	i64 = types.Int64Type
)

func registerStringFuncs(r map[string]*scalarFunc) {
	r["upper"] = &scalarFunc{bind: fixed(str, str), eval: mapString(upperBytes, mapForward, nil), strict: true}
	r["lower"] = &scalarFunc{bind: fixed(str, str), eval: mapString(lowerBytes, mapForward, nil), strict: true}
	r["ucase"], r["lcase"] = r["upper"], r["lower"]
	r["length"] = &scalarFunc{bind: fixed(i64, str), eval: evalLength, strict: true}
	r["char_length"], r["character_length"] = r["length"], r["length"]
	r["octet_length"] = &scalarFunc{bind: fixed(i64, str), eval: evalOctetLength, strict: true}
	r["reverse"] = &scalarFunc{bind: fixed(str, str), eval: mapString(reverseBytes, mapBackward, nil), strict: true}
	substr := &scalarFunc{bind: bindSubstring, eval: evalSubstring, strict: true}
	r["substring"], r["substr"] = substr, substr
	r["left"] = &scalarFunc{bind: fixed(str, str, i64), eval: evalLeftRight(true), strict: true}
	r["right"] = &scalarFunc{bind: fixed(str, str, i64), eval: evalLeftRight(false), strict: true}
	r["concat"] = &scalarFunc{bind: bindConcat, eval: evalConcat, cost: 1, lenient: true}
	r["concat_ws"] = &scalarFunc{bind: bindConcatWS, eval: evalConcatWS, cost: 1, lenient: true}
	// The || operator: concat, but NULL when any operand is NULL.
	r["||"] = &scalarFunc{bind: bindConcat, eval: evalConcatStrict, cost: 1, lenient: true, strict: true}
	for name, mode := range map[string]int{"trim": trimBoth, "ltrim": trimLeft, "rtrim": trimRight} {
		r[name] = &scalarFunc{bind: bindTrim, eval: evalTrim(mode), strict: true}
	}
	r["replace"] = &scalarFunc{bind: fixed(str, str, str, str), eval: evalReplace, strict: true, cost: 2}
	r["strpos"] = &scalarFunc{bind: fixed(i64, str, str), eval: evalStrpos, strict: true, cost: 2}
	r["instr"], r["position"] = r["strpos"], r["strpos"]
	r["starts_with"] = &scalarFunc{bind: fixed(types.BoolType, str, str), eval: evalStrPred(bytes.HasPrefix), strict: true}
	r["ends_with"] = &scalarFunc{bind: fixed(types.BoolType, str, str), eval: evalStrPred(bytes.HasSuffix), strict: true}
	r["contains"] = &scalarFunc{bind: fixed(types.BoolType, str, str), eval: evalStrPred(bytes.Contains), strict: true, cost: 2}
	r["repeat"] = &scalarFunc{bind: fixed(str, str, i64), eval: evalRepeat, strict: true}
}

// materialise returns every argument as an array of n rows; release them
// with releaseArrays.
func materialise(env Env, n int, args []Vec, ts []types.T) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(args))
	for i, a := range args {
		arr, err := argArray(env, a, ts[i], n)
		if err != nil {
			for _, o := range out[:i] {
				o.Release()
			}
			return nil, err
		}
		out[i] = arr
	}
	return out, nil
}

func releaseArrays(as []arrow.Array) {
	for _, a := range as {
		a.Release()
	}
}

// mapString applies a byte-slice transformation to every row.
// A rowMap writes the image of a row, or of a piece of one, to dst.
type rowMap func(dst, s []byte) []byte

// How a rowMap maps a long row: a piece at a time from its start or from
// its end (cut at rune starts), or through a streaming form of its own.
const (
	mapForward = iota
	mapBackward
	mapStream
)

// mapString applies f to each row. Short rows spend by their bytes; a
// long one is mapped a piece at a time with a spend between two, so that
// upper() of a 60 MB row (0.85 s) is cancellable inside the row.
func mapString(f rowMap, mode int, stream func(env Env, dst, s []byte) ([]byte, error)) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		a, err := argArray(env, args[0], str, n)
		if err != nil {
			return nil, err
		}
		defer a.Release()
		s := a.(*array.String)
		offs, data := vector.StringData(s)
		out := newStrOut(env, n, int(offs[n]-offs[0]))
		var budget byteBudget
		for i := 0; i < n; i++ {
			row := data[offs[i]:offs[i+1]]
			switch {
			case len(row) <= copyPiece:
				out.data = f(out.data, row)
				err = budget.add(env, len(row))
			case mode == mapStream:
				out.data, err = stream(env, out.data, row)
			default:
				out.data, err = mapPieces(env, out.data, row, f, mode == mapBackward)
			}
			if err != nil {
				return nil, err
			}
			out.endRow()
		}
		validity, nulls := vector.Validity(env.Alloc(), n, a)
		return out.finish(env, validity, nulls)
	}
}

// mapPieces maps row copyPiece bytes at a time, cut at rune starts, from
// its start or from its end, spending between two pieces.
func mapPieces(env Env, dst, row []byte, f rowMap, backward bool) ([]byte, error) {
	for len(row) > 0 {
		k := min(len(row), copyPiece)
		if backward {
			cut := len(row) - k
			for cut > 0 && !utf8.RuneStart(row[cut]) {
				cut--
			}
			dst, row = f(dst, row[cut:]), row[:cut]
		} else {
			for k < len(row) && !utf8.RuneStart(row[k]) {
				k++
			}
			dst, row = f(dst, row[:k]), row[k:]
		}
		if err := env.Spend(copyUnits); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

func isASCII(s []byte) bool {
	// Eight bytes at a time: a batch's text is tested once this way
	// (substring), where a byte loop cost as much as the work.
	var acc uint64
	for len(s) >= 8 {
		acc |= binary.LittleEndian.Uint64(s)
		s = s[8:]
	}
	for _, c := range s {
		acc |= uint64(c)
	}
	return acc&0x8080808080808080 == 0
}

func upperBytes(dst, s []byte) []byte {
	if isASCII(s) {
		for _, c := range s {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	return append(dst, bytes.ToUpper(s)...)
}

func lowerBytes(dst, s []byte) []byte {
	if isASCII(s) {
		for _, c := range s {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	return append(dst, bytes.ToLower(s)...)
}

func reverseBytes(dst, s []byte) []byte {
	for len(s) > 0 {
		_, w := utf8.DecodeLastRune(s)
		dst = append(dst, s[len(s)-w:]...)
		s = s[:len(s)-w]
	}
	return dst
}

func evalLength(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	a, err := argArray(env, args[0], str, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	offs, data := vector.StringData(a.(*array.String))
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i := range out {
		s := data[offs[i]:offs[i+1]]
		if isASCII(s) {
			out[i] = int64(len(s))
		} else {
			out[i] = int64(utf8.RuneCount(s))
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

func evalOctetLength(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	a, err := argArray(env, args[0], str, n)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	offs, _ := vector.StringData(a.(*array.String))
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i := range out {
		out[i] = int64(offs[i+1] - offs[i])
	}
	validity, nulls := vector.Validity(env.Alloc(), n, a)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

func bindSubstring(args []types.T) (types.T, []types.T, error) {
	if err := argCount(args, 2, 3); err != nil {
		return types.T{}, nil, err
	}
	return str, append([]types.T{str}, repeatType(i64, len(args)-1)...), nil
}

// substringRunes returns the characters of s from 1-based position start,
// count of them (all the rest when all is set), with DuckDB's rules: a
// negative start counts from the end (-1 is the last character), start 0
// is the position before the first, a negative count takes the -count
// characters before start, and the part of the window outside the string
// is cut off (substring('hello', -7, 3) is 'h', substring('hello', 3, -2)
// 'he'). Huge positions and counts saturate instead of overflowing.
func substringRunes(s []byte, start, count int64, all bool) []byte {
	return substringOf(s, isASCII(s), start, count, all)
}

// substringOf is substringRunes for a string known to be ASCII or not.
func substringOf(s []byte, ascii bool, start, count int64, all bool) []byte {
	total := int64(len(s))
	if !ascii {
		total = int64(utf8.RuneCount(s))
	}
	p := start // 1-based; total+1 is just past the end
	if start < 0 {
		p = total + start + 1
	}
	lo, hi := p, saturatingAdd(p, count)
	switch {
	case all: // to the end
		hi = total + 1
	case count < 0:
		lo, hi = hi, p
	}
	if hi <= 1 || lo > total {
		return nil // wholly before or after the string
	}
	from, to := max(lo, 1)-1, min(hi, total+1)-1 // 0-based [from, to)
	if from >= to {
		return nil
	}
	if ascii {
		n := int64(len(s))
		return s[min(from, n):min(to, n)]
	}
	pos, i := int64(0), 0
	for i < len(s) && pos < from {
		_, w := utf8.DecodeRune(s[i:])
		i += w
		pos++
	}
	j := i
	for j < len(s) && pos < to {
		_, w := utf8.DecodeRune(s[j:])
		j += w
		pos++
	}
	return s[i:j]
}

// saturatingAdd is a + b, held at the ends of int64.
func saturatingAdd(a, b int64) int64 {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt64
	}
	return s
}

func evalSubstring(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	// The bounds are most often constants (TPC-H q22's substring(c_phone,
	// 1, 2)): read once, not made into arrays of a batch's length, which
	// with the output sized as the whole input were a batch's 24 page
	// faults, 1.3 ms between two checks.
	bounds := make([]intArg, len(args)-1)
	arrs := []arrow.Array{}
	defer func() { releaseArrays(arrs) }()
	for i, a := range args[1:] {
		if a.IsNullConst() {
			return NullArray(env.Alloc(), str, n), nil
		}
		if a.IsConst() {
			bounds[i].c = a.Const.I
			continue
		}
		arr, err := argArray(env, a, i64, n)
		if err != nil {
			return nil, err
		}
		arrs = append(arrs, arr)
		bounds[i].vals = arr.(*array.Int64).Int64Values()
	}
	s, err := argArray(env, args[0], str, n)
	if err != nil {
		return nil, err
	}
	arrs = append(arrs, s)
	offs, data := vector.StringData(s.(*array.String))
	hint := int(offs[n] - offs[0])
	if len(bounds) == 2 && bounds[1].vals == nil && bounds[1].c >= 0 && bounds[1].c < int64(hint) {
		hint = min(hint, n*int(bounds[1].c)) // a byte a character, to start with
	}
	out := newStrOut(env, n, hint)
	ascii := isASCII(data[offs[0]:offs[n]]) // else row by row
	for i := 0; i < n; i++ {
		cnt := int64(-1)
		if len(bounds) == 2 {
			cnt = bounds[1].at(i)
		}
		row := data[offs[i]:offs[i+1]]
		out.add(substringOf(row, ascii || isASCII(row), bounds[0].at(i), cnt, len(bounds) == 1))
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return out.finish(env, validity, nulls)
}

// intArg is a BIGINT argument: a value a row, or one constant (vals nil).
type intArg struct {
	vals []int64
	c    int64
}

func (a intArg) at(i int) int64 {
	if a.vals == nil {
		return a.c
	}
	return a.vals[i]
}

func evalLeftRight(left bool) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		arrs, err := materialise(env, n, args, []types.T{str, i64})
		if err != nil {
			return nil, err
		}
		defer releaseArrays(arrs)
		offs, data := vector.StringData(arrs[0].(*array.String))
		ks := arrs[1].(*array.Int64).Int64Values()
		out := newStrOut(env, n, int(offs[n]-offs[0]))
		for i := 0; i < n; i++ {
			s := data[offs[i]:offs[i+1]]
			k := ks[i]
			total := int64(utf8.RuneCount(s))
			if k < 0 { // all but |k| characters, as in DuckDB
				k = max(total+k, 0)
			}
			k = min(k, total)
			if left {
				out.add(substringRunes(s, 1, k, false))
			} else {
				out.add(substringRunes(s, total-k+1, k, false))
			}
		}
		validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
		return out.finish(env, validity, nulls)
	}
}

func bindConcat(args []types.T) (types.T, []types.T, error) {
	if len(args) == 0 {
		return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "concat needs at least one argument")
	}
	return str, repeatType(str, len(args)), nil
}

// evalConcat joins its arguments, skipping NULLs (DuckDB's concat).
func evalConcat(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	out, err := concatRows(env, n, args)
	if err != nil {
		return nil, err
	}
	return out.finish(env, nil, 0)
}

// evalConcatStrict is the || operator: a row with a NULL operand is NULL.
// (The binder used to wrap concat in a CASE testing both operands, which
// repeated the left operand and made a || b || c ... exponential.)
func evalConcatStrict(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	arrs := make([]arrow.Array, 0, len(args))
	for _, a := range args {
		if a.Arr != nil {
			arrs = append(arrs, a.Arr)
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	out, err := concatRows(env, n, args)
	if err != nil {
		if validity != nil {
			validity.Release()
		}
		return nil, err
	}
	return out.finish(env, validity, nulls)
}

func bindConcatWS(args []types.T) (types.T, []types.T, error) {
	if len(args) < 2 {
		return types.T{}, nil, sqlerr.New(sqlerr.ErrType, "concat_ws needs a separator and at least one argument")
	}
	return str, repeatType(str, len(args)), nil
}

// evalConcatWS joins its arguments after the first with the first between
// them, skipping NULLs; a NULL separator makes NULL (DuckDB's concat_ws).
func evalConcatWS(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	sepArr, _ := args[0].Arr.(*array.String)
	arrs := make([]*array.String, len(args))
	for i, a := range args {
		if a.Arr != nil {
			arrs[i] = a.Arr.(*array.String)
		}
	}
	valid := make([]bool, n)
	out := newStrOut(env, n, 16*n)
	for i := 0; i < n; i++ {
		var sep []byte
		switch {
		case sepArr != nil && sepArr.IsValid(i):
			sep = vector.StringAt(sepArr, i)
		case sepArr == nil && args[0].Const.Valid:
			sep = []byte(args[0].Const.S)
		default:
			out.endRow() // NULL separator: NULL
			continue
		}
		valid[i] = true
		first := true
		for j, a := range args[1:] {
			var v []byte
			switch {
			case arrs[j+1] != nil:
				if !arrs[j+1].IsValid(i) {
					continue
				}
				v = vector.StringAt(arrs[j+1], i)
			case a.Const.Valid:
				v = []byte(a.Const.S)
			default:
				continue
			}
			var err error
			if !first {
				out.data, err = appendChecked(env, out.data, sep)
			}
			if err == nil {
				out.data, err = appendChecked(env, out.data, v)
			}
			if err != nil {
				return nil, err
			}
			first = false
		}
		out.endRow()
	}
	validity, nulls := vector.ValidityOf(env.Alloc(), valid)
	return out.finish(env, validity, nulls)
}

// concatRows joins the string arguments row by row, skipping NULLs. The
// output is sized first (its rows' arguments' lengths), and a long
// argument is copied with checks (appendChecked): concatenating a 60 MB
// constant to three rows went 3 s without one.
func concatRows(env Env, n int, args []Vec) (*strOut, error) {
	arrs := make([]*array.String, len(args))
	size := 0
	for i, a := range args {
		switch {
		case a.Arr != nil:
			arrs[i] = a.Arr.(*array.String)
			offs, _ := vector.StringData(arrs[i])
			size += int(offs[n] - offs[0])
		case a.Const.Valid:
			size += n * len(a.Const.S)
		}
	}
	if size > maxStringBytes {
		return nil, errStringTooBig()
	}
	out := newStrOut(env, n, size)
	var err error
	for i := 0; i < n; i++ {
		for j, a := range args {
			switch {
			case arrs[j] != nil:
				if arrs[j].IsValid(i) {
					out.data, err = appendChecked(env, out.data, vector.StringAt(arrs[j], i))
				}
			case a.Const.Valid:
				out.data, err = appendChecked(env, out.data, unsafe.Slice(unsafe.StringData(a.Const.S), len(a.Const.S)))
			}
			if err != nil {
				return nil, err
			}
		}
		out.endRow()
	}
	return out, nil
}

const (
	trimBoth = iota
	trimLeft
	trimRight
)

func bindTrim(args []types.T) (types.T, []types.T, error) {
	if err := argCount(args, 1, 2); err != nil {
		return types.T{}, nil, err
	}
	return str, repeatType(str, len(args)), nil
}

func evalTrim(mode int) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		arrs, err := materialise(env, n, args, repeatType(str, len(args)))
		if err != nil {
			return nil, err
		}
		defer releaseArrays(arrs)
		s := arrs[0].(*array.String)
		offs, data := vector.StringData(s)
		out := newStrOut(env, n, int(offs[n]-offs[0]))
		for i := 0; i < n; i++ {
			// Trimmed in place: a long row is only copied (with checks)
			// into the output, not first into a Go string.
			v := data[offs[i]:offs[i+1]]
			cut := " "
			if len(arrs) == 2 {
				cut = arrs[1].(*array.String).Value(i)
			}
			switch mode {
			case trimBoth:
				v = bytes.Trim(v, cut)
			case trimLeft:
				v = bytes.TrimLeft(v, cut)
			default:
				v = bytes.TrimRight(v, cut)
			}
			out.add(v)
		}
		validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
		return out.finish(env, validity, nulls)
	}
}

func evalReplace(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{str, str, str})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	a, from, to := arrs[0].(*array.String), arrs[1].(*array.String), arrs[2].(*array.String)
	out := newStrOut(env, n, 16*n)
	for i := 0; i < n; i++ {
		s, f := vector.StringAt(a, i), vector.StringAt(from, i)
		if len(f) == 0 { // nothing to replace, as in DuckDB (Go would insert between characters)
			out.add(s)
			continue
		}
		if out.data, err = replaceChecked(env, out.data, s, f, vector.StringAt(to, i)); err != nil {
			return nil, err
		}
		out.endRow()
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return out.finish(env, validity, nulls)
}

// replaceChecked appends s with every occurrence of f (not empty)
// replaced by to, as bytes.ReplaceAll, searching and copying at most
// copyPiece bytes between two spends: over a 60 MB row, ReplaceAll went
// 0.76 s without a check.
func replaceChecked(env Env, dst, s, f, to []byte) ([]byte, error) {
	if len(s) <= copyPiece {
		return append(dst, bytes.ReplaceAll(s, f, to)...), env.Spend(len(s) / 64)
	}
	done := 0 // bytes read and written since the last spend
	for len(s) > 0 {
		// An occurrence starting in the first copyPiece bytes ends in
		// the window.
		window := s[:min(len(s), copyPiece+len(f)-1)]
		k := bytes.Index(window, f)
		var err error
		if k < 0 {
			k = min(len(s), copyPiece)
			dst, err = appendChecked(env, dst, s[:k])
			s, done = s[k:], done+k
		} else {
			if dst, err = appendChecked(env, dst, s[:k]); err == nil {
				dst, err = appendChecked(env, dst, to)
			}
			s, done = s[k+len(f):], done+k+len(f)+len(to)
		}
		if err != nil {
			return dst, err
		}
		if done >= copyPiece {
			if err := env.Spend(copyUnits); err != nil {
				return dst, err
			}
			done = 0
		}
	}
	return dst, nil
}

func evalStrpos(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{str, str})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	a, sub := arrs[0].(*array.String), arrs[1].(*array.String)
	buf, out := vector.AllocValues[int64](env.Alloc(), n)
	for i := range out {
		s := vector.StringAt(a, i)
		if k := bytes.Index(s, vector.StringAt(sub, i)); k >= 0 {
			out[i] = int64(utf8.RuneCount(s[:k])) + 1
		}
	}
	validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
	return vector.NewFixedArray(arrow.PrimitiveTypes.Int64, n, validity, nulls, buf), nil
}

func evalStrPred(pred func(s, p []byte) bool) func(Env, int, []Vec, []types.T, types.T) (arrow.Array, error) {
	return func(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
		arrs, err := materialise(env, n, args, []types.T{str, str})
		if err != nil {
			return nil, err
		}
		defer releaseArrays(arrs)
		a, p := arrs[0].(*array.String), arrs[1].(*array.String)
		vbuf, out := vector.AllocBitmap(env.Alloc(), n)
		for i := 0; i < n; i++ {
			out[i>>3] |= b2u(pred(vector.StringAt(a, i), vector.StringAt(p, i))) << (i & 7)
		}
		validity, nulls := vector.Validity(env.Alloc(), n, arrs...)
		return vector.NewBoolArray(n, validity, nulls, vbuf), nil
	}
}

// maxRepeatBytes bounds one repeat() result.
const maxRepeatBytes = 1 << 26

func evalRepeat(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	arrs, err := materialise(env, n, args, []types.T{str, i64})
	if err != nil {
		return nil, err
	}
	defer releaseArrays(arrs)
	a, k := arrs[0].(*array.String), arrs[1].(*array.Int64).Int64Values()
	valid := func(i int) bool { return !a.IsNull(i) && !arrs[1].IsNull(i) } // the count under a NULL is garbage
	// Size the output first: growing it by append would copy tens of
	// megabytes at a time with no budget check in between.
	total := 0
	for i := 0; i < n; i++ {
		if !valid(i) {
			continue
		}
		s, cnt := vector.StringAt(a, i), max(k[i], 0)
		if cnt > 0 && int64(len(s)) > maxRepeatBytes/cnt {
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "repeat result larger than %d bytes", maxRepeatBytes)
		}
		total = min(total+len(s)*int(cnt), maxStringBytes+1)
	}
	if total > maxStringBytes {
		return nil, errStringTooBig()
	}
	if err := wantsSplit(env, n, total); err != nil {
		return nil, err
	}
	// The size is known: write straight into the Arrow buffers, not into
	// Go memory copied over at the end (for long strings, the allocations
	// are what a cancel waits for).
	mem := env.Alloc()
	obuf, offs := vector.AllocValues[int32](mem, n+1)
	dbuf := vector.NewBuffer(mem, total)
	release := func() { obuf.Release(); dbuf.Release() }
	data, pos := dbuf.Bytes(), 0
	for i := 0; i < n; i++ {
		offs[i] = int32(pos)
		if !valid(i) {
			continue
		}
		s, cnt := vector.StringAt(a, i), int(max(k[i], 0))
		if len(s) == 0 {
			continue // repeat('', 2^63-1) is '': no loop of 2^63 empty copies
		}
		// One 60 MB row is a quarter of a second of faulting in fresh
		// memory, which must not go unchecked (fillChecked).
		end := pos + len(s)*cnt
		if err := fillChecked(env, data[pos:end], s); err != nil {
			release()
			return nil, err
		}
		pos = end
	}
	offs[n] = int32(pos)
	validity, nulls := vector.Validity(mem, n, arrs...)
	return vector.NewStringArray(n, validity, nulls, obuf, dbuf), nil
}
