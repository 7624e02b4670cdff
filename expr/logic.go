package expr

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// AND and OR use SQL's three-valued logic, computed 64 rows at a time: each
// operand splits into "certainly true" and "certainly false" bits, and a row
// is NULL when it is neither.

type logicEval struct {
	args  []Evaluator
	isAnd bool
}

func compileLogic(args []Expr, isAnd bool) (Evaluator, error) {
	if isAnd {
		if ev, err := compileRange(args); ev != nil || err != nil {
			return ev, err
		}
	}
	evs := make([]Evaluator, len(args))
	for i, a := range args {
		ev, err := Compile(a)
		if err != nil {
			return nil, err
		}
		evs[i] = ev
	}
	return &logicEval{args: evs, isAnd: isAnd}, nil
}

func (e *logicEval) Type() types.T { return types.BoolType }

func (e *logicEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	n := int(batch.NumRows())
	mem := env.Alloc()
	tBuf, tb := vector.AllocBitmap(mem, n) // certainly true
	fBuf, fb := vector.AllocBitmap(mem, n) // certainly false
	tw, fw := vector.Words(tb), vector.Words(fb)
	if e.isAnd {
		setFirst(tw, n)
	} else {
		setFirst(fw, n)
	}
	// decided is the side that settles the result alone: false for AND,
	// true for OR. Once every row is decided the rest is not evaluated.
	decided := fw
	if !e.isAnd {
		decided = tw
	}
	scratch := make([]uint64, len(tw)*2)
	for _, ev := range e.args {
		v, err := ev.Eval(env, batch)
		if err != nil {
			tBuf.Release()
			fBuf.Release()
			return Vec{}, err
		}
		at, af := scratch[:len(tw)], scratch[len(tw):]
		truthWords(v, n, at, af)
		v.Release()
		if e.isAnd {
			for i := range tw {
				tw[i] &= at[i]
				fw[i] |= af[i]
			}
		} else {
			for i := range tw {
				tw[i] |= at[i]
				fw[i] &= af[i]
			}
		}
		if allSet(decided, n) {
			break
		}
		if err := env.Spend(n / 8); err != nil {
			tBuf.Release()
			fBuf.Release()
			return Vec{}, err
		}
	}
	// valid = T | F, written into fb; value = T.
	for i := range fw {
		fw[i] |= tw[i]
	}
	nulls := vector.NullCount(fb, n)
	if nulls == 0 {
		fBuf.Release()
		fBuf = nil
	}
	return Vec{Arr: vector.NewBoolArray(n, fBuf, nulls, tBuf)}, nil
}

// truthWords splits a boolean Vec into certainly-true and certainly-false
// bit words (offset 0).
func truthWords(v Vec, n int, t, f []uint64) {
	if v.IsConst() {
		clear(t)
		clear(f)
		if v.Const.Valid {
			if v.Const.Bool() {
				setFirst(t, n)
			} else {
				setFirst(f, n)
			}
		}
		return
	}
	d := v.Arr.Data()
	off := d.Offset()
	tb := wordsBytes(t)
	fb := wordsBytes(f)
	clear(t)
	if bits := vector.BoolBits(v.Arr); bits != nil {
		bitutil.CopyBitmap(bits, off, n, tb, 0)
	}
	// f = valid &^ value
	if v.Arr.NullN() > 0 {
		clear(f)
		bitutil.CopyBitmap(v.Arr.NullBitmapBytes(), off, n, fb, 0)
		for i := range t {
			t[i] &= f[i]
			f[i] &^= t[i]
		}
	} else {
		for i := range t {
			f[i] = ^t[i]
		}
		clearTail(f, n)
	}
}

func wordsBytes(w []uint64) []byte {
	if len(w) == 0 {
		return nil
	}
	return vector.BytesOfWords(w)
}

// setFirst sets the first n bits of w and clears the rest.
func setFirst(w []uint64, n int) {
	for i := range w {
		w[i] = ^uint64(0)
	}
	clearTail(w, n)
}

func clearTail(w []uint64, n int) {
	if n%64 != 0 && len(w) > 0 {
		w[n/64] &= (1 << (n % 64)) - 1
	}
	for i := (n + 63) / 64; i < len(w); i++ {
		w[i] = 0
	}
}

func allSet(w []uint64, n int) bool {
	full := n / 64
	for i := 0; i < full; i++ {
		if w[i] != ^uint64(0) {
			return false
		}
	}
	if n%64 != 0 {
		m := uint64(1)<<(n%64) - 1
		return w[full]&m == m
	}
	return true
}

type notEval struct{ x Evaluator }

func (e *notEval) Type() types.T { return types.BoolType }

func (e *notEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	v, err := e.x.Eval(env, batch)
	if err != nil || v.IsConst() {
		if v.IsConst() && v.Const.Valid {
			return Vec{Const: BoolDatum(!v.Const.Bool())}, nil
		}
		return v, err
	}
	defer v.Release()
	return Vec{Arr: invertBool(env.Alloc(), v.Arr)}, nil
}

func invertBool(mem memory.Allocator, a arrow.Array) arrow.Array {
	n := a.Len()
	vbuf, vb := vector.AllocBitmap(mem, n)
	if bits := vector.BoolBits(a); bits != nil {
		bitutil.CopyBitmap(bits, a.Data().Offset(), n, vb, 0)
	}
	w := vector.Words(vb)
	for i := range w {
		w[i] = ^w[i]
	}
	clearTail(w, n)
	validity, nulls := vector.Validity(mem, n, a)
	return vector.NewBoolArray(n, validity, nulls, vbuf)
}

type isNullEval struct {
	x       Evaluator
	negated bool
}

func (e *isNullEval) Type() types.T { return types.BoolType }

func (e *isNullEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	v, err := e.x.Eval(env, batch)
	if err != nil {
		return Vec{}, err
	}
	if v.IsConst() {
		return Vec{Const: BoolDatum(v.Const.Valid == e.negated)}, nil
	}
	defer v.Release()
	n := v.Arr.Len()
	mem := env.Alloc()
	// IS NOT NULL is the validity bitmap; IS NULL its complement.
	buf, b := vector.CopyBits(mem, nullBitmap(v.Arr), v.Arr.Data().Offset(), n)
	if !e.negated {
		w := vector.Words(b)
		for i := range w {
			w[i] = ^w[i]
		}
		clearTail(w, n)
	}
	return Vec{Arr: vector.NewBoolArray(n, nil, 0, buf)}, nil
}

// nullBitmap returns the validity bitmap of a, or nil when it has no NULLs.
func nullBitmap(a arrow.Array) []byte {
	if a.NullN() == 0 {
		return nil
	}
	if a.DataType().ID() == arrow.NULL {
		return make([]byte, (a.Len()+a.Data().Offset()+7)/8)
	}
	return a.NullBitmapBytes()
}
