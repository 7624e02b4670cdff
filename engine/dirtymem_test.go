package engine_test

import (
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// dirtyAllocator is a checked allocator that also serves uninitialised
// requests (vector.UninitAllocator), filling them with garbage: a kernel
// that asks for one and leaves a byte unwritten then gives a wrong answer
// rather than a lucky zero. (The buffer pool hands out whatever a freed
// buffer held; a checked allocator alone would always zero.)
type dirtyAllocator struct{ *memory.CheckedAllocator }

func (a dirtyAllocator) AllocateUninit(size int) []byte {
	b := a.Allocate(size)
	for i := range b {
		b[i] = 0xa5
	}
	return b
}

// TestTPCHAnswersOnDirtyMemory is TestTPCHAnswers with every buffer
// requested uninitialised full of garbage.
func TestTPCHAnswersOnDirtyMemory(t *testing.T) {
	mem := dirtyAllocator{memory.NewCheckedAllocator(memory.NewGoAllocator())}
	defer mem.AssertSize(t, 0)
	e := openTPCH(t, mem)
	defer e.Close()
	checkTPCH(t, e)
}
