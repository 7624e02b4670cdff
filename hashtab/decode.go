package hashtab

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// KeyArrays materialises the keys of groups [from, to) as one array per key
// column.
func (t *Table) KeyArrays(mem memory.Allocator, from, to int) []arrow.Array {
	switch t.layout {
	case layoutDirect, layoutWord:
		return []arrow.Array{t.wordArray(mem, from, to)}
	case layoutPair:
		return []arrow.Array{t.halfArray(mem, 32, t.keyTypes[0], from, to), t.halfArray(mem, 0, t.keyTypes[1], from, to)}
	}
	n := to - from
	builders := make([]array.Builder, len(t.keyTypes))
	for i, kt := range t.keyTypes {
		builders[i] = array.NewBuilder(mem, kt.Arrow())
		builders[i].Reserve(n)
	}
	for g := from; g < to; g++ {
		key := t.keyBytes(int32(g))
		for i, kt := range t.keyTypes {
			key = decodeValue(builders[i], kt, key)
		}
	}
	out := make([]arrow.Array, len(builders))
	for i, b := range builders {
		out[i] = b.NewArray()
		b.Release()
	}
	return out
}

// wordArray materialises the word layout's keys.
func (t *Table) wordArray(mem memory.Allocator, from, to int) arrow.Array {
	n := to - from
	var validity *memory.Buffer
	nulls := 0
	if ng := int(t.nullGroup); ng >= from && ng < to {
		var b []byte
		validity, b = vector.AllValid(mem, n)
		b[(ng-from)/8] &^= 1 << ((ng - from) % 8)
		nulls = 1
	}
	if t.keyTypes[0].Kind == types.Date {
		buf, out := vector.AllocValues[arrow.Date32](mem, n)
		for i := range out {
			out[i] = arrow.Date32(int64(t.words.Get(from + i)))
		}
		return vector.NewFixedArray(arrow.FixedWidthTypes.Date32, n, validity, nulls, buf)
	}
	buf, out := vector.AllocValues[int64](mem, n)
	for i := range out {
		out[i] = int64(t.words.Get(from + i))
	}
	return vector.NewFixedArray(t.keyTypes[0].Arrow(), n, validity, nulls, buf) // BIGINT or TIMESTAMP
}

// decodeValue appends the first serialised value of key to b and returns
// the rest of the key.
func decodeValue(b array.Builder, t types.T, key []byte) []byte {
	valid := key[0] == 1
	key = key[1:]
	w := fixedWidth(t)
	if w < 0 { // VARCHAR
		l := int(binary.LittleEndian.Uint32(key))
		if valid {
			b.(*array.StringBuilder).BinaryBuilder.Append(key[4 : 4+l])
		} else {
			b.AppendNull()
		}
		return key[4+l:]
	}
	if !valid {
		b.AppendNull()
		return key[w:]
	}
	switch t.Kind {
	case types.Int64:
		b.(*array.Int64Builder).Append(int64(binary.LittleEndian.Uint64(key)))
	case types.Float64:
		b.(*array.Float64Builder).Append(math.Float64frombits(binary.LittleEndian.Uint64(key)))
	case types.Date:
		b.(*array.Date32Builder).Append(arrow.Date32(binary.LittleEndian.Uint32(key)))
	case types.Timestamp:
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(binary.LittleEndian.Uint64(key)))
	case types.Decimal:
		lo := binary.LittleEndian.Uint64(key)
		hi := int64(binary.LittleEndian.Uint64(key[8:]))
		b.(*array.Decimal128Builder).Append(decimal128.New(hi, lo))
	case types.Bool:
		b.(*array.BooleanBuilder).Append(key[0] == 1)
	case types.Null:
		b.AppendNull()
	}
	return key[w:]
}
