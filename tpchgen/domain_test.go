package tpchgen

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// officialDomains reads the distinct values of the official SF0.01 data
// (testdata/spec_domains.json).
func officialDomains(t *testing.T) map[string]json.RawMessage {
	raw, err := os.ReadFile("testdata/spec_domains.json")
	require.NoError(t, err)
	var doc struct {
		Domains map[string]json.RawMessage `json:"domains"`
	}
	require.NoError(t, json.Unmarshal(raw, &doc))
	return doc.Domains
}

func distinct(vals []string) []string {
	set := map[string]bool{}
	for _, v := range vals {
		set[v] = true
	}
	out := make([]string, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// TestDomainsMatchOfficialData checks every enumerated column against the
// values that occur in dbgen's data: at SF 0.1 each value occurs, and no
// other.
func TestDomainsMatchOfficialData(t *testing.T) {
	dom := officialDomains(t)
	opts := Options{SF: 0.1}
	part := collect(t, "part", opts, 0, 1)
	cust := collect(t, "customer", Options{SF: 0.01}, 0, 1)
	ord := collect(t, "orders", Options{SF: 0.01}, 0, 1)
	line := collect(t, "lineitem", Options{SF: 0.01}, 0, 1)
	cols := map[string][]string{
		"p_type": part.strs["p_type"], "p_container": part.strs["p_container"],
		"p_mfgr": part.strs["p_mfgr"], "p_brand": part.strs["p_brand"],
		"c_mktsegment": cust.strs["c_mktsegment"], "o_orderpriority": ord.strs["o_orderpriority"],
		"o_orderstatus": ord.strs["o_orderstatus"], "l_shipinstruct": line.strs["l_shipinstruct"],
		"l_shipmode": line.strs["l_shipmode"], "l_returnflag": line.strs["l_returnflag"],
		"l_linestatus": line.strs["l_linestatus"],
	}
	for col, vals := range cols {
		var want []string
		require.NoError(t, json.Unmarshal(dom[col], &want), col)
		assert.Equal(t, want, distinct(vals), col)
	}

	// p_name: five distinct words of the 92 colours.
	var words []string
	require.NoError(t, json.Unmarshal(dom["p_name_words"], &words))
	require.Len(t, words, 92)
	colour := map[string]bool{}
	for _, w := range words {
		colour[w] = true
	}
	used := map[string]bool{}
	for _, name := range part.strs["p_name"] {
		ws := strings.Split(name, " ")
		require.Len(t, ws, 5, name)
		require.Len(t, distinct(ws), 5, name)
		for _, w := range ws {
			require.True(t, colour[w], "%q in %q", w, name)
			used[w] = true
		}
	}
	assert.Len(t, used, 92)

	// nation and region rows.
	var nationsWant [][3]any
	require.NoError(t, json.Unmarshal(dom["nation"], &nationsWant))
	nat := collect(t, "nation", opts, 0, 1)
	for i, n := range nationsWant {
		assert.Equal(t, fmt.Sprint(n[0]), fmt.Sprint(nat.ints["n_nationkey"][i]))
		assert.Equal(t, n[1], nat.strs["n_name"][i])
		assert.Equal(t, fmt.Sprint(n[2]), fmt.Sprint(nat.ints["n_regionkey"][i]))
	}
	var regionsWant [][2]any
	require.NoError(t, json.Unmarshal(dom["region"], &regionsWant))
	reg := collect(t, "region", opts, 0, 1)
	for i, r := range regionsWant {
		assert.Equal(t, r[1], reg.strs["r_name"][i])
	}

	// v-string characters.
	var chars string
	require.NoError(t, json.Unmarshal(dom["address_chars"], &chars))
	for _, a := range cust.strs["c_address"] {
		for _, c := range a {
			require.True(t, strings.ContainsRune(chars, c), "%q in address %q", c, a)
		}
	}
}

func TestValueRanges(t *testing.T) {
	const sf = 0.01
	s, err := newScale(sf)
	require.NoError(t, err)
	sup := collect(t, "supplier", Options{SF: sf}, 0, 1)
	cust := collect(t, "customer", Options{SF: sf}, 0, 1)
	part := collect(t, "part", Options{SF: sf}, 0, 1)
	ps := collect(t, "partsupp", Options{SF: sf}, 0, 1)
	ord := collect(t, "orders", Options{SF: sf}, 0, 1)
	line := collect(t, "lineitem", Options{SF: sf}, 0, 1)

	inRange := func(name string, vals []int64, lo, hi int64) {
		t.Helper()
		mn, mx := vals[0], vals[0]
		for _, v := range vals {
			mn, mx = min(mn, v), max(mx, v)
		}
		assert.True(t, mn >= lo && mx <= hi, "%s in [%d, %d], got [%d, %d]", name, lo, hi, mn, mx)
	}
	inRange("s_acctbal", sup.ints["s_acctbal"], -99999, 999999)
	inRange("c_acctbal", cust.ints["c_acctbal"], -99999, 999999)
	inRange("p_size", part.ints["p_size"], 1, 50)
	inRange("ps_availqty", ps.ints["ps_availqty"], 1, 9999)
	inRange("ps_supplycost", ps.ints["ps_supplycost"], 100, 100000)
	inRange("l_quantity", line.ints["l_quantity"], 100, 5000)
	inRange("l_discount", line.ints["l_discount"], 0, 10)
	inRange("l_tax", line.ints["l_tax"], 0, 8)
	inRange("o_shippriority", ord.ints["o_shippriority"], 0, 0)

	for i, k := range part.ints["p_partkey"] {
		require.Equal(t, (90000 + (k/10)%20001 + 100*(k%1000)), part.ints["p_retailprice"][i])
		m := part.strs["p_mfgr"][i][len("Manufacturer#"):]
		require.Equal(t, m, part.strs["p_brand"][i][len("Brand#"):][:1], "brand starts with the manufacturer")
	}

	phone := regexp.MustCompile(`^(\d\d)-[1-9]\d\d-[1-9]\d\d-[1-9]\d\d\d$`)
	for _, tc := range []struct {
		td       *tableData
		key, nat string
		phone    string
	}{{sup, "s_suppkey", "s_nationkey", "s_phone"}, {cust, "c_custkey", "c_nationkey", "c_phone"}} {
		for i, p := range tc.td.strs[tc.phone] {
			m := phone.FindStringSubmatch(p)
			require.NotNil(t, m, p)
			require.Equal(t, fmt.Sprint(tc.td.ints[tc.nat][i]+10), m[1], "country code = nation key + 10")
		}
	}
	for i, k := range sup.ints["s_suppkey"] {
		require.Equal(t, fmt.Sprintf("Supplier#%09d", k), sup.strs["s_name"][i])
	}
	for i, k := range cust.ints["c_custkey"] {
		require.Equal(t, fmt.Sprintf("Customer#%09d", k), cust.strs["c_name"][i])
	}
	clerk := regexp.MustCompile(`^Clerk#\d{9}$`)
	for _, c := range ord.strs["o_clerk"] {
		require.Regexp(t, clerk, c)
		require.LessOrEqual(t, c, fmt.Sprintf("Clerk#%09d", s.clerks))
	}

	// Dates: orders in [1992-01-01, 1998-08-02]; ship 1..121 days after the
	// order, commit 30..90, receipt 1..30 after ship; flags follow the dates.
	orderDate := map[int64]int32{}
	for i, k := range ord.ints["o_orderkey"] {
		d := ord.dates["o_orderdate"][i]
		require.True(t, d >= startDate && d <= lastOrderDate)
		orderDate[k] = d
	}
	for i := range line.rows {
		od := orderDate[line.ints["l_orderkey"][i]]
		ship, commit, receipt := line.dates["l_shipdate"][i], line.dates["l_commitdate"][i], line.dates["l_receiptdate"][i]
		require.True(t, ship-od >= 1 && ship-od <= 121)
		require.True(t, commit-od >= 30 && commit-od <= 90)
		require.True(t, receipt-ship >= 1 && receipt-ship <= 30)
		flag, status := line.strs["l_returnflag"][i], line.strs["l_linestatus"][i]
		if receipt <= currentDate {
			require.Contains(t, []string{"R", "A"}, flag)
		} else {
			require.Equal(t, "N", flag)
		}
		if ship > currentDate {
			require.Equal(t, "O", status)
		} else {
			require.Equal(t, "F", status)
		}
	}

	// Comment and address lengths.
	for _, tc := range []struct {
		vals []string
		rng  lenRange
	}{
		{sup.strs["s_comment"], supplierComment}, {cust.strs["c_comment"], customerComment},
		{part.strs["p_comment"], partComment}, {ps.strs["ps_comment"], partsuppComment},
		{ord.strs["o_comment"], ordersComment}, {line.strs["l_comment"], lineitemComment},
		{sup.strs["s_address"], addressLen}, {cust.strs["c_address"], addressLen},
	} {
		mn, mx := len(tc.vals[0]), len(tc.vals[0])
		for _, v := range tc.vals {
			mn, mx = min(mn, len(v)), max(mx, len(v))
		}
		assert.True(t, mn >= tc.rng.min && mx <= tc.rng.max, "lengths [%d, %d] outside %v", mn, mx, tc.rng)
		if len(tc.vals) >= 1000 { // enough rows to reach both ends
			assert.Equal(t, tc.rng, lenRange{mn, mx})
		}
	}
}

// TestQueryPhrases checks the text the queries search for occurs at about
// the spec's frequency (reference: the official SF0.01 data).
func TestQueryPhrases(t *testing.T) {
	frac := func(vals []string, re *regexp.Regexp) float64 {
		n := 0
		for _, v := range vals {
			if re.MatchString(v) {
				n++
			}
		}
		return float64(n) / float64(len(vals))
	}
	ord := collect(t, "orders", Options{SF: 0.1}, 0, 1)
	part := collect(t, "part", Options{SF: 0.1}, 0, 1)
	sup := collect(t, "supplier", Options{SF: 1}, 0, 1)
	// q13: official SF0.01 has 1.18%.
	assert.InDelta(t, 0.0118, frac(ord.strs["o_comment"], regexp.MustCompile(`special.*requests`)), 0.003)
	// q9 and q20: 5 of 92 words contain green; 1 of 92 starts with forest.
	assert.InDelta(t, 5.0/92, frac(part.strs["p_name"], regexp.MustCompile(`green`)), 0.005)
	assert.InDelta(t, 1.0/92, frac(part.strs["p_name"], regexp.MustCompile(`^forest`)), 0.002)
	// q16: SF*5 suppliers complain and SF*5 recommend (10,000 at SF 1).
	complaints := frac(sup.strs["s_comment"], regexp.MustCompile(`Customer.*Complaints`)) * 10000
	recommends := frac(sup.strs["s_comment"], regexp.MustCompile(`Customer.*Recommends`)) * 10000
	assert.InDelta(t, 5, complaints, 3)
	assert.InDelta(t, 5, recommends, 3)
	for _, c := range sup.strs["s_comment"] {
		require.True(t, len(c) >= supplierComment.min && len(c) <= supplierComment.max)
	}
}
