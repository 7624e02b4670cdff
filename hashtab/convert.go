package hashtab

import (
	"encoding/binary"
	"hash/maphash"

	"github.com/minisql/minisql/types"
)

// convertToBytes moves a pair table to the bytes layout, once a value
// arrives that does not fit in 32 bits. Every group keeps its number: its
// key is serialised exactly as the encoder would have written it, so
// later batches find it. The slot array keeps its size (the load factor
// does not change) and is refilled, spending budget.
func (t *Table) convertToBytes(b Budget) error {
	words := t.words
	t.words = nil
	t.initBytes()
	t.arena = make([]byte, 0, len(words)*t.fixedW)
	clear(t.tags)
	for g, w := range words {
		start := len(t.arena)
		t.arena = appendPairHalf(t.arena, t.keyTypes[0], uint32(w>>32))
		t.arena = appendPairHalf(t.arena, t.keyTypes[1], uint32(w))
		h := maphash.Bytes(t.seed, t.arena[start:])
		t.place(h, slot{key: h, g: int32(g)})
		if (g+1)%growChunk == 0 {
			if err := b.Spend(growChunk); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendPairHalf appends one packed half in the encoder's serialisation
// of a BIGINT or DATE value.
func appendPairHalf(dst []byte, kt types.T, h uint32) []byte {
	v, ok := unpackHalf(h)
	if !ok {
		v = 0 // the encoder writes zeros under a NULL
	}
	dst = append(dst, b2u(ok))
	if kt.Kind == types.Date {
		return binary.LittleEndian.AppendUint32(dst, uint32(v))
	}
	return binary.LittleEndian.AppendUint64(dst, uint64(v))
}
