package parquetsrc

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGrowCheckedTouchesNewBuffersBetweenChecks(t *testing.T) {
	boom := errors.New("cancelled")
	tests := []struct {
		name      string
		have, n   int // the buffer's capacity, the length asked
		failAt    int
		wantCalls int
		wantErr   error
	}{
		{"fits: no new buffer", 1 << 20, 1 << 20, 0, 0, nil},
		{"small new buffer: no check", 0, touchPages * osPage, 0, 0, nil},
		{"one page more: one check", 0, touchPages*osPage + 1, 0, 1, nil},
		{"a megabyte", 0, 1 << 20, 0, 1<<20/osPage/touchPages - 1, nil},
		{"stops at the failing check", 0, 1 << 20, 3, 3, boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf := make([]byte, 0, tt.have)
			c := &checkCounter{failAt: tt.failAt, err: boom}
			b, err := growChecked(&buf, tt.n, c.check)
			require.ErrorIs(t, err, tt.wantErr)
			assert.Equal(t, tt.wantCalls, c.calls)
			assert.Len(t, b, tt.n)
			assert.Len(t, buf, tt.n, "the buffer is kept for the next page")
		})
	}
}
