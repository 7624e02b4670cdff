package tpchgen

import (
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/sqlerr"
)

func TestTablesOrder(t *testing.T) {
	assert.Equal(t, []string{"region", "nation", "supplier", "customer", "part", "partsupp", "orders", "lineitem"}, Tables())
}

func TestSchemaTypes(t *testing.T) {
	decimals := map[string]bool{
		"s_acctbal": true, "c_acctbal": true, "p_retailprice": true, "ps_supplycost": true,
		"o_totalprice": true, "l_quantity": true, "l_extendedprice": true, "l_discount": true, "l_tax": true,
	}
	ints := map[string]bool{"p_size": true, "o_shippriority": true, "l_linenumber": true, "ps_availqty": true}
	wantCols := map[string]int{"region": 3, "nation": 4, "supplier": 7, "customer": 8, "part": 9, "partsupp": 5, "orders": 9, "lineitem": 16}
	for _, name := range Tables() {
		t.Run(name, func(t *testing.T) {
			s, err := Schema(name)
			require.NoError(t, err)
			require.Equal(t, wantCols[name], s.NumFields())
			for _, f := range s.Fields() {
				assert.False(t, f.Nullable, f.Name)
				assert.Equal(t, strings.ToLower(f.Name), f.Name)
				var want arrow.DataType
				switch {
				case decimals[f.Name]:
					want = &arrow.Decimal128Type{Precision: 15, Scale: 2}
				case ints[f.Name] || strings.HasSuffix(f.Name, "key"):
					want = arrow.PrimitiveTypes.Int64
				case strings.HasSuffix(f.Name, "date"):
					want = arrow.FixedWidthTypes.Date32
				default:
					want = arrow.BinaryTypes.String
				}
				assert.True(t, arrow.TypeEqual(want, f.Type), "%s: %s, want %s", f.Name, f.Type, want)
			}
		})
	}
}

func TestUnknownTable(t *testing.T) {
	_, err := Schema("nope")
	require.ErrorIs(t, err, sqlerr.ErrUnknownTable)
	_, err = RowCount("nope", 1)
	require.ErrorIs(t, err, sqlerr.ErrUnknownTable)
	_, err = NewGenerator("nope", Options{SF: 1}, 0, 1)
	require.ErrorIs(t, err, sqlerr.ErrUnknownTable)
	s, err := Schema("LineItem")
	require.NoError(t, err, "names are case-insensitive")
	require.Equal(t, "l_orderkey", s.Field(0).Name)
}

func TestInvalidOptions(t *testing.T) {
	for _, tc := range []struct {
		name        string
		opts        Options
		part, parts int
	}{
		{"zero sf", Options{}, 0, 1},
		{"negative sf", Options{SF: -1}, 0, 1},
		{"huge sf", Options{SF: 1e9}, 0, 1},
		{"negative batch", Options{SF: 1, BatchSize: -1}, 0, 1},
		{"huge batch", Options{SF: 1, BatchSize: MaxBatchSize + 1}, 0, 1},
		{"no parts", Options{SF: 1}, 0, 0},
		{"part out of range", Options{SF: 1}, 3, 3},
		{"negative part", Options{SF: 1}, -1, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewGenerator("orders", tc.opts, tc.part, tc.parts)
			require.ErrorIs(t, err, sqlerr.ErrInvalidValue)
		})
	}
}
