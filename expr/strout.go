package expr

import (
	"math"
	"slices"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/vector"
)

// maxStringBytes bounds the text of one string column of a batch: Arrow's
// String has int32 offsets.
const maxStringBytes = math.MaxInt32

// strOut builds a String array row by row into reusable Go memory and
// copies it into the query's allocator once at the end. A long value is
// copied with checks (appendChecked); once a check fails, nothing more is
// written, and finish returns the error.
type strOut struct {
	env  Env
	offs []int32
	data []byte
	// tooBig is set once the text outgrew maxStringBytes: finish fails.
	tooBig bool
	err    error
}

func newStrOut(env Env, n, sizeHint int) *strOut {
	return &strOut{env: env, offs: make([]int32, 1, n+1), data: make([]byte, 0, sizeHint)}
}

func (o *strOut) add(b []byte) {
	switch {
	case o.err != nil:
	case len(o.data)+len(b) > maxStringBytes:
		o.tooBig = true
	default:
		o.data, o.err = appendChecked(o.env, o.data, b)
	}
	o.offs = append(o.offs, int32(len(o.data)))
}

func (o *strOut) addString(s string) {
	o.add(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// endRow ends a row whose bytes the caller appended to data itself.
func (o *strOut) endRow() {
	if len(o.data) > maxStringBytes {
		o.tooBig = true
		o.data = o.data[:o.offs[len(o.offs)-1]] // the result is an error anyway
	}
	o.offs = append(o.offs, int32(len(o.data)))
}

// finish returns the array; validity is taken over as in NewStringArray
// (and released on error). The text is copied copyPiece bytes between
// two spends: a batch's text can be hundreds of megabytes, and copied
// into fresh memory it runs at about 300 MB/s on the paravirtualised
// VMs, where every new page faults.
func (o *strOut) finish(env Env, validity *memory.Buffer, nulls int) (arrow.Array, error) {
	if o.tooBig || o.err != nil {
		if validity != nil {
			validity.Release()
		}
		if o.err != nil {
			return nil, o.err
		}
		return nil, errStringTooBig()
	}
	mem := env.Alloc()
	n := len(o.offs) - 1
	obuf, offs := vector.AllocValues[int32](mem, n+1)
	copy(offs, o.offs)
	dbuf := vector.NewBuffer(mem, len(o.data))
	if err := copyChecked(env, dbuf.Bytes(), o.data); err != nil {
		obuf.Release()
		dbuf.Release()
		if validity != nil {
			validity.Release()
		}
		return nil, err
	}
	return vector.NewStringArray(n, validity, nulls, obuf, dbuf), nil
}

// copyPiece is the most bytes copyChecked and appendChecked move between
// two spends, and copyUnits what they spend for it.
const (
	copyPiece = 64 << 10
	copyUnits = copyPiece / 64
)

// copyChecked copies src into dst (at least as long), spending the budget
// a piece at a time.
func copyChecked(env Env, dst, src []byte) error {
	for len(src) > copyPiece {
		copy(dst, src[:copyPiece])
		dst, src = dst[copyPiece:], src[copyPiece:]
		if err := env.Spend(copyUnits); err != nil {
			return err
		}
	}
	copy(dst, src)
	return nil
}

// growChecked makes room in dst for n more bytes. A long dst that must
// grow moves to its larger home with checks: grown by append, a 60 MB
// dst was copied in one piece.
func growChecked(env Env, dst []byte, n int) ([]byte, error) {
	if cap(dst)-len(dst) >= n {
		return dst, nil
	}
	if len(dst) <= copyPiece {
		return slices.Grow(dst, n), nil
	}
	grown := make([]byte, len(dst), max(2*cap(dst), len(dst)+n))
	if err := copyChecked(env, grown, dst); err != nil {
		return dst, err
	}
	return grown, nil
}

// appendChecked appends b to dst as copyChecked copies.
func appendChecked(env Env, dst, b []byte) ([]byte, error) {
	dst, err := growChecked(env, dst, len(b))
	if err != nil {
		return dst, err
	}
	n := len(dst)
	dst = dst[:n+len(b)]
	return dst, copyChecked(env, dst[n:], b)
}

// fillChecked fills dst with pattern repeated, the last repetition cut
// short, by doubling what it wrote: each copy starts at a whole number of
// repetitions, is at most copyPiece bytes, and spends a unit per 64
// bytes. Copying a short pattern once per repetition ran at 40 MB/s.
// An empty pattern leaves dst as it is.
func fillChecked(env Env, dst, pattern []byte) error {
	if len(dst) == 0 || len(pattern) == 0 {
		return nil
	}
	n := copy(dst, pattern)
	piece := max(len(pattern), copyPiece/len(pattern)*len(pattern))
	for n < len(dst) {
		k := copy(dst[n:], dst[:min(n, piece)])
		n += k
		if err := env.Spend(k / 64); err != nil {
			return err
		}
	}
	return nil
}

func errStringTooBig() error {
	return sqlerr.New(sqlerr.ErrInvalidValue, "string results of one batch larger than %d bytes (a smaller batch_size may help)", maxStringBytes)
}
