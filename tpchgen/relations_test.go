package tpchgen

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tpchData holds all eight tables of one small scale factor.
type tpchData map[string]*tableData

func generateAll(t *testing.T, opts Options) tpchData {
	d := tpchData{}
	for _, name := range Tables() {
		d[name] = collect(t, name, opts, 0, 1)
	}
	return d
}

func TestKeyRelationships(t *testing.T) {
	const sf = 0.01
	d := generateAll(t, Options{SF: sf})
	s, err := newScale(sf)
	require.NoError(t, err)

	// Primary keys are dense 1..N (region and nation from 0).
	for _, k := range []struct {
		table, col string
		first      int64
	}{
		{"region", "r_regionkey", 0}, {"nation", "n_nationkey", 0}, {"supplier", "s_suppkey", 1},
		{"customer", "c_custkey", 1}, {"part", "p_partkey", 1},
	} {
		for i, v := range d[k.table].ints[k.col] {
			require.Equal(t, k.first+int64(i), v, k.col)
		}
	}
	for _, v := range d["nation"].ints["n_regionkey"] {
		require.True(t, v >= 0 && v < 5)
	}
	for _, col := range []struct{ table, col string }{{"supplier", "s_nationkey"}, {"customer", "c_nationkey"}} {
		for _, v := range d[col.table].ints[col.col] {
			require.True(t, v >= 0 && v < 25, col.col)
		}
	}

	// partsupp: four distinct suppliers per part, by the spec's formula.
	ps := d["partsupp"]
	psKeys := map[pair]bool{}
	supplyCost := map[pair]int64{}
	for i := range ps.rows {
		k := pair{ps.ints["ps_partkey"][i], ps.ints["ps_suppkey"][i]}
		require.False(t, psKeys[k], "duplicate partsupp key %v", k)
		psKeys[k] = true
		supplyCost[k] = ps.ints["ps_supplycost"][i]
		require.Equal(t, int64(i/4+1), k.a)
		require.True(t, k.b >= 1 && k.b <= s.suppliers)
		require.Equal(t, suppKey(k.a, int64(i%4), s.suppliers), k.b)
	}

	// orders: sparse keys (8 of every 32), customers not divisible by 3.
	o := d["orders"]
	orderIdx := map[int64]int{}
	for i, k := range o.ints["o_orderkey"] {
		require.Less(t, (k-1)%32, int64(8), "order key %d", k)
		if i > 0 {
			require.Greater(t, k, o.ints["o_orderkey"][i-1])
		}
		orderIdx[k] = i
		c := o.ints["o_custkey"][i]
		require.True(t, c >= 1 && c <= s.customers)
		require.NotZero(t, c%3, "customer %d places no orders", c)
	}

	// lineitem: belongs to an order, (partkey, suppkey) is in partsupp,
	// line numbers 1..n per order, totals and statuses consistent.
	l := d["lineitem"]
	retail := d["part"].ints["p_retailprice"]
	totals := make([]int64, o.rows)
	shipped := make([]int, o.rows)
	lines := make([]int, o.rows)
	for i := range l.rows {
		oi, ok := orderIdx[l.ints["l_orderkey"][i]]
		require.True(t, ok, "l_orderkey %d has no order", l.ints["l_orderkey"][i])
		pk, sk := l.ints["l_partkey"][i], l.ints["l_suppkey"][i]
		require.True(t, psKeys[pair{pk, sk}], "(%d, %d) not in partsupp", pk, sk)
		lines[oi]++
		require.Equal(t, int64(lines[oi]), l.ints["l_linenumber"][i])
		qty := l.ints["l_quantity"][i]
		require.Equal(t, qty/100*retail[pk-1], l.ints["l_extendedprice"][i], "l_extendedprice = l_quantity * p_retailprice")
		totals[oi] += chargeCents(l.ints["l_extendedprice"][i], l.ints["l_discount"][i], l.ints["l_tax"][i])
		if l.strs["l_linestatus"][i] == "F" {
			shipped[oi]++
		}
	}
	for i := range o.rows {
		require.True(t, lines[i] >= 1 && lines[i] <= 7, "order %d has %d lines", i, lines[i])
		require.Equal(t, totals[i], o.ints["o_totalprice"][i], "o_totalprice of order %d", i)
		want := "P"
		switch shipped[i] {
		case lines[i]:
			want = "F"
		case 0:
			want = "O"
		}
		require.Equal(t, want, o.strs["o_orderstatus"][i])
	}

	// A third of the customers have no orders; q13 and q22 rely on it.
	hasOrders := map[int64]bool{}
	for _, c := range o.ints["o_custkey"] {
		hasOrders[c] = true
	}
	assert.InDelta(t, float64(s.customers)*2/3, float64(len(hasOrders)), float64(s.customers)*0.02)
}
