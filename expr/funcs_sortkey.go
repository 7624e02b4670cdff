package expr

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// SortKeyFunc names the internal function behind an aggregate's ORDER BY
// (string_agg(s, ',' ORDER BY k DESC)): __sort_key(k1, 'desc', k2,
// 'asc nulls first', ...) is, for every row, a string of bytes whose
// bytewise order is the order the items ask for. The aggregate then needs
// one more argument, compared with bytes.Compare, whatever the keys' number
// and types. The bytes are no text: the value never leaves the aggregate.
const SortKeyFunc = "__sort_key"

func registerSortKey(r map[string]*scalarFunc) {
	r[SortKeyFunc] = &scalarFunc{bind: bindSortKey, eval: evalSortKey, cost: 1}
}

func bindSortKey(args []types.T) (types.T, []types.T, error) {
	if len(args) == 0 || len(args)%2 != 0 {
		return types.T{}, nil, sqlerr.New(sqlerr.ErrInternal, "%s takes keys and directions", SortKeyFunc)
	}
	params := append([]types.T(nil), args...)
	for i := 1; i < len(args); i += 2 {
		params[i] = types.StringType
	}
	return types.StringType, params, nil
}

// Each key is a marker byte, then (unless NULL) its value's bytes, inverted
// for DESC. The marker orders NULLs before or after every value whatever
// the direction; strings end in 0x00 0x00 (a 0x00 inside is 0x00 0xFF), so
// a prefix sorts first and the next key's bytes never compare against a
// string's.
const (
	keyNullFirst = 0x00
	keyValue     = 0x01
	keyNullLast  = 0x02
)

func evalSortKey(env Env, n int, args []Vec, argT []types.T, _ types.T) (arrow.Array, error) {
	type key struct {
		arr        arrow.Array
		desc       bool
		nullsFirst bool
	}
	keys := make([]key, 0, len(args)/2)
	defer func() {
		for _, k := range keys {
			k.arr.Release()
		}
	}()
	for i := 0; i < len(args); i += 2 {
		dir := args[i+1]
		if !dir.IsConst() || !dir.Const.Valid {
			return nil, sqlerr.New(sqlerr.ErrInternal, "%s: a direction that is not a constant", SortKeyFunc)
		}
		a, err := argArray(env, args[i], argT[i], n)
		if err != nil {
			return nil, err
		}
		d := strings.ToLower(dir.Const.S)
		keys = append(keys, key{arr: a, desc: strings.HasPrefix(d, "desc"), nullsFirst: strings.HasSuffix(d, "nulls first")})
	}
	out := newStrOut(env, n, n*9*len(keys))
	for row := 0; row < n; row++ {
		for _, k := range keys {
			if k.arr.IsNull(row) {
				if k.nullsFirst {
					out.data = append(out.data, keyNullFirst)
				} else {
					out.data = append(out.data, keyNullLast)
				}
				continue
			}
			out.data = append(out.data, keyValue)
			start := len(out.data)
			out.data = appendKeyBytes(out.data, k.arr, row)
			if k.desc {
				for j := start; j < len(out.data); j++ {
					out.data[j] = ^out.data[j]
				}
			}
		}
		out.endRow()
		if err := env.Spend(len(keys)); err != nil {
			return nil, err
		}
	}
	return out.finish(env, nil, 0)
}

// appendKeyBytes appends the order-preserving bytes of a's value at row.
func appendKeyBytes(dst []byte, a arrow.Array, row int) []byte {
	switch a := a.(type) {
	case *array.Int64:
		return binary.BigEndian.AppendUint64(dst, uint64(a.Value(row))^1<<63)
	case *array.Date32:
		return binary.BigEndian.AppendUint32(dst, uint32(a.Value(row))^1<<31)
	case *array.Timestamp:
		return binary.BigEndian.AppendUint64(dst, uint64(a.Value(row))^1<<63)
	case *array.Float64:
		return binary.BigEndian.AppendUint64(dst, floatKey(a.Value(row)))
	case *array.Decimal128:
		v := a.Value(row)
		dst = binary.BigEndian.AppendUint64(dst, uint64(v.HighBits())^1<<63)
		return binary.BigEndian.AppendUint64(dst, v.LowBits())
	case *array.Boolean:
		if a.Value(row) {
			return append(dst, 1)
		}
		return append(dst, 0)
	case *array.String:
		for _, c := range vector.StringAt(a, row) {
			dst = append(dst, c)
			if c == 0 {
				dst = append(dst, 0xFF)
			}
		}
		return append(dst, 0, 0)
	}
	return dst // the NULL type: every row is NULL
}

// floatKey orders doubles as the engine's sort does: -0 equal to 0, NaN
// after +Inf.
func floatKey(f float64) uint64 {
	switch {
	case f != f:
		return math.MaxUint64
	case f == 0:
		f = 0
	}
	b := math.Float64bits(f)
	if b>>63 != 0 {
		return ^b
	}
	return b | 1<<63
}
