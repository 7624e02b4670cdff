package engine

import (
	"context"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// settingNames are the settings SHOW ALL lists, in this order.
var settingNames = []string{"threads", "batch_size", "statement_timeout", "memory_limit", "morsel_rows"}

// showSetting answers SHOW name (one column named after the setting) and
// SHOW ALL (name and value of every setting).
func (s *Session) showSetting(ctx context.Context, name string) (*Rows, error) {
	settings := s.Settings()
	mem := s.eng.mem
	if name == "all" {
		nb, vb := array.NewStringBuilder(mem), array.NewStringBuilder(mem)
		defer nb.Release()
		defer vb.Release()
		for _, n := range settingNames {
			v, err := settings.Get(n)
			if err != nil {
				return nil, err
			}
			nb.Append(n)
			vb.Append(v)
		}
		return s.recordRows(ctx, []string{"name", "value"}, []arrow.Array{nb.NewArray(), vb.NewArray()})
	}
	v, err := settings.Get(name)
	if err != nil {
		return nil, err
	}
	b := array.NewStringBuilder(mem)
	defer b.Release()
	b.Append(v)
	return s.recordRows(ctx, []string{name}, []arrow.Array{b.NewArray()})
}
