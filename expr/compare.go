package expr

import (
	"bytes"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// compare evaluates l <op> r for operands of the same type t (at most one
// of them constant) into a Boolean array.
func compare(mem memory.Allocator, op BinOp, t types.T, n int, l, r Vec) (arrow.Array, error) {
	if l.IsConst() {
		l, r, op = r, l, op.Flip()
	}
	vbuf, out := vector.AllocBitmap(mem, n)
	switch t.Kind {
	case types.Int64:
		a, _ := int64Operand(l)
		b, cb := int64Operand(r)
		cmpOrdered(op, a, b, cb, out)
	case types.Float64:
		a, _ := float64Operand(l)
		b, cb := float64Operand(r)
		cmpOrdered(op, a, b, cb, out)
		fixNaN(op, a, b, cb, out)
	case types.Date:
		a := l.Arr.(*array.Date32).Date32Values()
		var b []arrow.Date32
		if r.Arr != nil {
			b = r.Arr.(*array.Date32).Date32Values()
		}
		cmpOrdered(op, a, b, arrow.Date32(r.Const.I), out)
	case types.Timestamp:
		a := l.Arr.(*array.Timestamp).TimestampValues()
		var b []arrow.Timestamp
		if r.Arr != nil {
			b = r.Arr.(*array.Timestamp).TimestampValues()
		}
		cmpOrdered(op, a, b, arrow.Timestamp(r.Const.I), out)
	case types.Decimal:
		a, _ := decimalOperand(l)
		b, cb := decimalOperand(r)
		if b == nil && narrowType(l) && narrowNum(cb) {
			// Both narrow: the low words compare as the values do.
			done := cmpNarrowDecimal(op, a, int64(cb.LowBits()), out)
			a, out = a[done:], out[done/8:]
		}
		cmpDecimal(op, a, b, cb, out)
	case types.String:
		cmpString(op, l.Arr.(*array.String), r, out)
	case types.Bool:
		cmpBool(op, l.Arr.(*array.Boolean), r, out)
	default:
		vbuf.Release()
		return nil, errUnsupportedType("comparison", t)
	}
	validity, nulls := vector.Validity(mem, n, l.Arr, r.Arr)
	return vector.NewBoolArray(n, validity, nulls, vbuf), nil
}

func b2u(b bool) byte {
	var x byte
	if b {
		x = 1
	}
	return x
}

type ordered interface {
	~int64 | ~float64 | ~int32
}

// cmpWords compares a with c eight values at a time, each byte of
// results built in a register with constant shifts and stored once
// (setting bits one by one in memory cost three times as much, and a
// variable shift per value half as much again: 0.36 against 0.52 ns an
// int32, 0.46 against 0.82 a double), and returns how many values it did:
// every whole byte of them.
func cmpWords[T ordered](op BinOp, a []T, c T, out []byte) int {
	if done, ok := cmpWordsVector(op, a, c, out); ok {
		return done
	}
	return cmpWordsGo(op, a, c, out)
}

// cmpWordsGo is cmpWords where there is no vector kernel for T or the CPU.
func cmpWordsGo[T ordered](op BinOp, a []T, c T, out []byte) int {
	full := len(a) / 8
	switch op {
	case OpEq:
		for i := range full {
			x := a[i*8 : i*8+8 : i*8+8]
			out[i] = b2u(x[0] == c) | b2u(x[1] == c)<<1 | b2u(x[2] == c)<<2 | b2u(x[3] == c)<<3 |
				b2u(x[4] == c)<<4 | b2u(x[5] == c)<<5 | b2u(x[6] == c)<<6 | b2u(x[7] == c)<<7
		}
	case OpNe:
		for i := range full {
			x := a[i*8 : i*8+8 : i*8+8]
			out[i] = b2u(x[0] != c) | b2u(x[1] != c)<<1 | b2u(x[2] != c)<<2 | b2u(x[3] != c)<<3 |
				b2u(x[4] != c)<<4 | b2u(x[5] != c)<<5 | b2u(x[6] != c)<<6 | b2u(x[7] != c)<<7
		}
	case OpLt:
		for i := range full {
			x := a[i*8 : i*8+8 : i*8+8]
			out[i] = b2u(x[0] < c) | b2u(x[1] < c)<<1 | b2u(x[2] < c)<<2 | b2u(x[3] < c)<<3 |
				b2u(x[4] < c)<<4 | b2u(x[5] < c)<<5 | b2u(x[6] < c)<<6 | b2u(x[7] < c)<<7
		}
	case OpLe:
		for i := range full {
			x := a[i*8 : i*8+8 : i*8+8]
			out[i] = b2u(x[0] <= c) | b2u(x[1] <= c)<<1 | b2u(x[2] <= c)<<2 | b2u(x[3] <= c)<<3 |
				b2u(x[4] <= c)<<4 | b2u(x[5] <= c)<<5 | b2u(x[6] <= c)<<6 | b2u(x[7] <= c)<<7
		}
	case OpGt:
		for i := range full {
			x := a[i*8 : i*8+8 : i*8+8]
			out[i] = b2u(x[0] > c) | b2u(x[1] > c)<<1 | b2u(x[2] > c)<<2 | b2u(x[3] > c)<<3 |
				b2u(x[4] > c)<<4 | b2u(x[5] > c)<<5 | b2u(x[6] > c)<<6 | b2u(x[7] > c)<<7
		}
	case OpGe:
		for i := range full {
			x := a[i*8 : i*8+8 : i*8+8]
			out[i] = b2u(x[0] >= c) | b2u(x[1] >= c)<<1 | b2u(x[2] >= c)<<2 | b2u(x[3] >= c)<<3 |
				b2u(x[4] >= c)<<4 | b2u(x[5] >= c)<<5 | b2u(x[6] >= c)<<6 | b2u(x[7] >= c)<<7
		}
	}
	return full * 8
}

// cmpOrdered sets bit i of out when a[i] <op> b[i] (or <op> c when b is nil).
func cmpOrdered[T ordered](op BinOp, a, b []T, c T, out []byte) {
	if b == nil {
		done := cmpWords(op, a, c, out)
		a, out = a[done:], out[done/8:]
		switch op {
		case OpEq:
			for i, x := range a {
				out[i>>3] |= b2u(x == c) << (i & 7)
			}
		case OpNe:
			for i, x := range a {
				out[i>>3] |= b2u(x != c) << (i & 7)
			}
		case OpLt:
			for i, x := range a {
				out[i>>3] |= b2u(x < c) << (i & 7)
			}
		case OpLe:
			for i, x := range a {
				out[i>>3] |= b2u(x <= c) << (i & 7)
			}
		case OpGt:
			for i, x := range a {
				out[i>>3] |= b2u(x > c) << (i & 7)
			}
		case OpGe:
			for i, x := range a {
				out[i>>3] |= b2u(x >= c) << (i & 7)
			}
		}
		return
	}
	b = b[:len(a)]
	switch op {
	case OpEq:
		for i, x := range a {
			out[i>>3] |= b2u(x == b[i]) << (i & 7)
		}
	case OpNe:
		for i, x := range a {
			out[i>>3] |= b2u(x != b[i]) << (i & 7)
		}
	case OpLt:
		for i, x := range a {
			out[i>>3] |= b2u(x < b[i]) << (i & 7)
		}
	case OpLe:
		for i, x := range a {
			out[i>>3] |= b2u(x <= b[i]) << (i & 7)
		}
	case OpGt:
		for i, x := range a {
			out[i>>3] |= b2u(x > b[i]) << (i & 7)
		}
	case OpGe:
		for i, x := range a {
			out[i>>3] |= b2u(x >= b[i]) << (i & 7)
		}
	}
}

// fixNaN redoes the comparisons that involve a NaN: Go says NaN is unequal
// to everything, while SQL (DuckDB, and minisql's own sort and greatest)
// orders NaN above every other double and equal to itself. NaNs are rare,
// so this is one extra pass that usually changes nothing.
func fixNaN(op BinOp, a, b []float64, c float64, out []byte) {
	mask := cmpMask(op)
	set := func(i int, x, y float64) {
		bit := mask >> (compareFloat(x, y) + 1) & 1
		out[i>>3] = out[i>>3]&^(1<<(i&7)) | bit<<(i&7)
	}
	if b == nil {
		for i, x := range a {
			if x != x || c != c {
				set(i, x, c)
			}
		}
		return
	}
	b = b[:len(a)]
	for i, x := range a {
		if x != x || b[i] != b[i] {
			set(i, x, b[i])
		}
	}
}

// cmpMask encodes which three-way comparison results satisfy op: bit r+1 is
// set when result r (-1, 0, +1) makes the comparison true.
func cmpMask(op BinOp) byte {
	switch op {
	case OpEq:
		return 0b010
	case OpNe:
		return 0b101
	case OpLt:
		return 0b001
	case OpLe:
		return 0b011
	case OpGt:
		return 0b100
	}
	return 0b110 // OpGe
}

// cmpNarrowDecimalGo is cmpWords over DECIMAL values and a constant all
// narrow (at most 18 digits: the high word is the low word's sign), which
// compare as their low words do: 64 low words at a time are copied out
// and compared as integers, several times faster than comparing 128-bit
// values (BenchmarkCompareConst/decimal).
func cmpNarrowDecimalGo(op BinOp, a []decimal128.Num, c int64, out []byte) int {
	var lo [64]int64
	words := len(a) / 64
	for w := range words {
		for j, v := range a[w*64 : w*64+64] {
			lo[j] = int64(v.LowBits())
		}
		cmpWords(op, lo[:], c, out[w*8:])
	}
	return words * 64
}

// narrowNum reports whether v has at most 18 digits' worth of bits: its
// high word is its low word's sign.
func narrowNum(v decimal128.Num) bool { return v.HighBits() == int64(v.LowBits())>>63 }

func cmpDecimal(op BinOp, a, b []decimal128.Num, c decimal128.Num, out []byte) {
	mask := cmpMask(op)
	if b == nil {
		// Branch-free: random values would mispredict CmpInt128's branches.
		ltBit, eqBit, gtBit := mask&1, mask>>1&1, mask>>2&1
		chi, clo := c.HighBits(), c.LowBits()
		for i, x := range a {
			hi, lo := x.HighBits(), x.LowBits()
			hiEq := b2u(hi == chi)
			lt := b2u(hi < chi) | hiEq&b2u(lo < clo)
			eq := hiEq & b2u(lo == clo)
			gt := 1 &^ (lt | eq)
			out[i>>3] |= (lt&ltBit | eq&eqBit | gt&gtBit) << (i & 7)
		}
		return
	}
	for i, x := range a {
		out[i>>3] |= (mask >> (types.CmpInt128(x, b[i]) + 1) & 1) << (i & 7)
	}
}

func cmpString(op BinOp, a *array.String, r Vec, out []byte) {
	n := a.Len()
	mask := cmpMask(op)
	if r.Arr == nil {
		c := []byte(r.Const.S)
		if op == OpEq || op == OpNe {
			want := op == OpEq
			offs, data := vector.StringData(a)
			start := 0
			if len(c) <= 8 {
				start = strEqShortWords(offs[:n+1], data, c, out)
				if !want {
					invertWords(out, start)
				}
			}
			for i := start; i < n; i++ {
				s := data[offs[i]:offs[i+1]]
				eq := len(s) == len(c) && string(s) == string(c)
				out[i>>3] |= b2u(eq == want) << (i & 7)
			}
			return
		}
		for i := 0; i < n; i++ {
			out[i>>3] |= (mask >> (bytes.Compare(stringBytes(a, i), c) + 1) & 1) << (i & 7)
		}
		return
	}
	b := r.Arr.(*array.String)
	for i := 0; i < n; i++ {
		out[i>>3] |= (mask >> (bytes.Compare(stringBytes(a, i), stringBytes(b, i)) + 1) & 1) << (i & 7)
	}
}

func stringBytes(a *array.String, i int) []byte { return vector.StringAt(a, i) }

func cmpBool(op BinOp, a *array.Boolean, r Vec, out []byte) {
	mask := cmpMask(op)
	for i := 0; i < a.Len(); i++ {
		x := int(b2u(a.Value(i)))
		y := int(b2u(r.Const.Bool()))
		if r.Arr != nil {
			y = int(b2u(r.Arr.(*array.Boolean).Value(i)))
		}
		out[i>>3] |= (mask >> (x - y + 1) & 1) << (i & 7)
	}
}
