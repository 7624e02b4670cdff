package operators

import (
	"context"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/osmem"
	"github.com/minisql/minisql/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Close gives the hash table of a DISTINCT or entropy accumulator back to
// the engine's pool of mappings, as it gives the grouping table's: the
// pool holds more after Close than before it.
func TestAggregateCloseReleasesAccumulatorTables(t *testing.T) {
	for _, kind := range []AggKind{AggCount, AggEntropy} {
		t.Run(kind.String(), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			pool := osmem.NewPool(1 << 30)
			defer func() { require.NoError(t, pool.Close()) }()
			task := NewTask(context.Background(), mem, WithMappings(pool))
			spec := AggSpec{Kind: kind, Arg: 0, In: types.Int64Type, Out: types.Int64Type, Distinct: kind == AggCount}
			if kind == AggEntropy {
				spec.Out = types.Float64Type
			}
			out := arrow.NewSchema([]arrow.Field{{Name: "a", Type: spec.Out.Arrow(), Nullable: true}}, nil)
			op, err := NewHashAggregate(finite(300_000), nil, []AggSpec{spec}, out, 1024)
			require.NoError(t, err)
			require.NoError(t, op.Open(task))
			for {
				rec, err := op.Next(task)
				require.NoError(t, err)
				if rec == nil {
					break
				}
				rec.Release()
			}
			before := pool.Kept()
			require.NoError(t, op.Close())
			assert.Greater(t, pool.Kept(), before, "the accumulator's table given back at Close")
		})
	}
}
