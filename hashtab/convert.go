package hashtab

import (
	"hash/maphash"

	"github.com/minisql/minisql/paged"
)

// convertToBytes moves a pair table to the bytes layout, once a value
// arrives that does not fit in 32 bits. Every group keeps its number: its
// key is serialised exactly as the encoder would have written it, so
// later batches find it. The slot array keeps its size (the load factor
// does not change) and is refilled, spending budget.
func (t *Table) convertToBytes(b Budget) error {
	words := t.words
	t.words = paged.Vec[uint64]{}
	t.tiny = nil
	t.initBytes()
	clear(t.tags)
	var key []byte
	for g := range words.Len() {
		w := words.Get(g)
		key = appendPairHalf(key[:0], t.keyTypes[0], uint32(w>>32))
		key = appendPairHalf(key, t.keyTypes[1], uint32(w))
		if err := t.appendKey(b, key); err != nil {
			return err
		}
		h := maphash.Bytes(t.seed, key)
		t.place(h, slot{key: h, g: int32(g)})
		if (g+1)%growChunk == 0 {
			if err := b.Spend(growChunk); err != nil {
				return err
			}
		}
	}
	return nil
}
