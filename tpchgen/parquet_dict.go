package tpchgen

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Low-cardinality columns are written with their complete value domain as
// the dictionary of every row group, and values are turned into indices by
// arithmetic (integers, dates) or a small open-addressing table (strings).
// arrow v17's dictionary encoders hash every value through an interface
// conversion that allocates; this path was about a third of the cost of
// writing lineitem.

// intDomain is the integer (or decimal in hundredths, or date) domain
// lo, lo+step, ..., hi.
type intDomain struct{ lo, hi, step int64 }

var intDomains = map[string]intDomain{
	"n_regionkey":    {0, int64(len(regions) - 1), 1},
	"s_nationkey":    {0, int64(len(nations) - 1), 1},
	"c_nationkey":    {0, int64(len(nations) - 1), 1},
	"p_size":         {1, 50, 1},
	"o_shippriority": {0, 0, 1},
	"l_linenumber":   {1, maxLinesPerOrder, 1},
	"l_quantity":     {100, 5000, 100},
	"l_discount":     {0, 10, 1},
	"l_tax":          {0, 8, 1},
	"o_orderdate":    {startDate, endDate, 1},
	"l_shipdate":     {startDate, endDate, 1},
	"l_commitdate":   {startDate, endDate, 1},
	"l_receiptdate":  {startDate, endDate, 1},
}

// strDomains lists every value of the enumerated string columns.
var strDomains = map[string][]string{
	"r_name":          regions[:],
	"n_name":          nationNames(),
	"c_mktsegment":    segments[:],
	"p_mfgr":          numbered("Manufacturer#", 1, 5),
	"p_brand":         numbered("Brand#", 11, 55),
	"p_type":          combine(typeSyllable1[:], typeSyllable2[:], typeSyllable3[:]),
	"p_container":     combine(containerSyllable1[:], containerSyllable2[:]),
	"o_orderstatus":   {"F", "O", "P"},
	"o_orderpriority": priorities[:],
	"l_returnflag":    {"R", "A", "N"},
	"l_linestatus":    {"O", "F"},
	"l_shipinstruct":  instructions[:],
	"l_shipmode":      shipModes[:],
}

func nationNames() []string {
	out := make([]string, len(nations))
	for i, n := range nations {
		out[i] = n.name
	}
	return out
}

// numbered returns prefix+lo ... prefix+hi, skipping brand numbers whose
// digits are outside 1..5 (Brand#MN has M and N in 1..5).
func numbered(prefix string, lo, hi int) []string {
	var out []string
	for i := lo; i <= hi; i++ {
		if hi > 9 && (i%10 == 0 || i%10 > 5) {
			continue
		}
		out = append(out, fmt.Sprint(prefix, i))
	}
	return out
}

// combine returns every space-separated combination of one word per list.
func combine(lists ...[]string) []string {
	out := []string{""}
	for _, l := range lists {
		var next []string
		for _, prefix := range out {
			for _, w := range l {
				if prefix == "" {
					next = append(next, w)
				} else {
					next = append(next, prefix+" "+w)
				}
			}
		}
		out = next
	}
	return out
}

// fixedDict is one column's dictionary and value-to-index mapping.
type fixedDict struct {
	dict arrow.Array // Int32 (dates), Int64 or String, on the Go heap
	ints intDomain
	strs *strIndex
}

// newFixedDict returns the fixed dictionary of a column, or nil.
func newFixedDict(name string, kind colKind) *fixedDict {
	mem := memory.NewGoAllocator()
	if d, ok := intDomains[name]; ok {
		var b array.Builder
		if kind == kDate {
			ib := array.NewInt32Builder(mem)
			for v := d.lo; v <= d.hi; v += d.step {
				ib.Append(int32(v))
			}
			b = ib
		} else {
			ib := array.NewInt64Builder(mem)
			for v := d.lo; v <= d.hi; v += d.step {
				ib.Append(v)
			}
			b = ib
		}
		defer b.Release()
		return &fixedDict{dict: b.NewArray(), ints: d}
	}
	if dom, ok := strDomains[name]; ok {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendValues(dom, nil)
		return &fixedDict{dict: b.NewArray(), strs: newStrIndex(dom)}
	}
	return nil
}

// intIndex returns the dictionary index of v.
func (f *fixedDict) intIndex(v int64) (int32, bool) {
	d := f.ints
	if v < d.lo || v > d.hi || (v-d.lo)%d.step != 0 {
		return 0, false
	}
	return int32((v - d.lo) / d.step), true
}

// strIndex maps the strings of a small domain to their positions with open
// addressing on a hash of the length and three bytes, which tells TPC-H's
// domain values apart with few probes.
type strIndex struct {
	dom   []string
	slots []int32 // domain position, or -1
	mask  uint32
}

func strHash(s []byte) uint32 {
	n := len(s)
	if n == 0 {
		return 0
	}
	return uint32(n)*0x9e3779b1 ^ uint32(s[0])*0x85ebca77 ^ uint32(s[n-1])*0xc2b2ae3d ^ uint32(s[n/2])*0x27d4eb2f
}

func newStrIndex(dom []string) *strIndex {
	size := 1
	for size < 4*len(dom) {
		size <<= 1
	}
	x := &strIndex{dom: dom, slots: make([]int32, size), mask: uint32(size - 1)}
	for i := range x.slots {
		x.slots[i] = -1
	}
	for i, s := range dom {
		h := strHash([]byte(s)) & x.mask
		for x.slots[h] >= 0 {
			h = (h + 1) & x.mask
		}
		x.slots[h] = int32(i)
	}
	return x
}

func (x *strIndex) index(s []byte) (int32, bool) {
	h := strHash(s) & x.mask
	for {
		i := x.slots[h]
		if i < 0 {
			return 0, false
		}
		if x.dom[i] == string(s) {
			return i, true
		}
		h = (h + 1) & x.mask
	}
}
