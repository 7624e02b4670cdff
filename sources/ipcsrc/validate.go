package ipcsrc

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
)

// validate checks that arr's buffers are large enough for its length and,
// for strings, that its offsets stay inside its data. The IPC library
// trusts the file; the engine trusts its batches, so a corrupt file must
// stop here rather than crash a kernel. It reads the offsets once and
// nothing else.
func validate(arr arrow.Array) error {
	d := arr.Data()
	off, n := d.Offset(), d.Len()
	if off < 0 || n < 0 {
		return fmt.Errorf("negative offset %d or length %d", off, n)
	}
	bufs := d.Buffers()
	if len(bufs) < 2 {
		return fmt.Errorf("%d buffers", len(bufs))
	}
	end := off + n
	if b := bufs[0]; b != nil && b.Len() > 0 && b.Len() < int(bitutil.BytesForBits(int64(end))) {
		return fmt.Errorf("validity bitmap of %d bytes for %d rows", b.Len(), end)
	}
	if d.NullN() > 0 && (bufs[0] == nil || bufs[0].Len() == 0) {
		return fmt.Errorf("%d nulls without a validity bitmap", d.NullN())
	}
	size := func(b int) int {
		if bufs[b] == nil {
			return 0
		}
		return bufs[b].Len()
	}
	switch dt := arr.DataType().(type) {
	case *arrow.BooleanType:
		if size(1) < int(bitutil.BytesForBits(int64(end))) {
			return fmt.Errorf("boolean values of %d bytes for %d rows", size(1), end)
		}
	case arrow.FixedWidthDataType:
		if w := dt.BitWidth() / 8; size(1) < end*w {
			return fmt.Errorf("values of %d bytes for %d rows of %d bytes", size(1), end, w)
		}
	case *arrow.StringType, *arrow.BinaryType:
		if len(bufs) < 3 || size(1) < (end+1)*4 {
			return fmt.Errorf("offsets of %d bytes for %d rows", size(1), end)
		}
		offs := arrow.Int32Traits.CastFromBytes(bufs[1].Bytes())[off : end+1]
		return checkOffsets(offs, size(2))
	case *arrow.LargeStringType, *arrow.LargeBinaryType:
		if len(bufs) < 3 || size(1) < (end+1)*8 {
			return fmt.Errorf("offsets of %d bytes for %d rows", size(1), end)
		}
		offs := arrow.Int64Traits.CastFromBytes(bufs[1].Bytes())[off : end+1]
		return checkOffsets(offs, size(2))
	default:
		return fmt.Errorf("unexpected type %s", dt)
	}
	return nil
}

// checkOffsets checks that offsets never decrease and stay in [0, size].
func checkOffsets[T int32 | int64](offs []T, size int) error {
	prev := offs[0]
	if prev < 0 {
		return fmt.Errorf("negative string offset %d", prev)
	}
	bad := false
	for _, o := range offs[1:] {
		bad = bad || o < prev
		prev = o
	}
	if bad || int64(prev) > int64(size) {
		return fmt.Errorf("string offsets out of order or beyond %d bytes of data", size)
	}
	return nil
}
