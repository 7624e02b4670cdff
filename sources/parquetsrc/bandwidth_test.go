package parquetsrc

import (
	"sync"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/decimal128"
)

// The memory-bandwidth limit of TPC-H Q1 and Q6 (issue 8 asks for both
// queries at SF1 within 2x of it): plain Go loops summing the columns the
// queries read, held in memory as Go slices, at SF1's 6,001,215 lineitem
// rows. Two layouts:
//
//   - arrow: what the scan hands the engine (Decimal128 = 16 bytes, Date32
//     = 4, a one-letter VARCHAR = 4 offset bytes + 1 data byte);
//   - compact: the narrowest lossless form (decimals as int64, the flags as
//     one byte), a lower bound for any engine.
//
// Each benchmark reports the bytes summed, GB/s, and ms-per-SF1, the time
// one pass takes: the figure to compare with the query's time. The -2w
// variants split the rows over two goroutines, as threads=2 does.

const sf1LineitemRows = 6_001_215

// q6Columns are l_quantity, l_extendedprice, l_discount and l_shipdate.
type q6Columns struct {
	dec  [3][]decimal128.Num
	i64  [3][]int64
	date []int32
}

// q1Columns add l_tax, l_returnflag and l_linestatus.
type q1Columns struct {
	q6Columns
	taxDec  []decimal128.Num
	taxI64  []int64
	flagOff [2][]int32 // the VARCHAR offsets of the two flags
	flag    [2][]byte  // their data, and also their compact form
}

// newQ1Columns fills every column with non-zero values, so that no page is
// the shared zero page and every byte comes from memory.
func newQ1Columns(n int) *q1Columns {
	c := &q1Columns{}
	for k := range c.dec {
		c.dec[k] = make([]decimal128.Num, n)
		c.i64[k] = make([]int64, n)
		for i := range n {
			v := int64(i%5000 + k + 1)
			c.dec[k][i] = decimal128.FromI64(v)
			c.i64[k][i] = v
		}
	}
	c.date = make([]int32, n)
	c.taxDec = make([]decimal128.Num, n)
	c.taxI64 = make([]int64, n)
	for i := range n {
		c.date[i] = int32(8000 + i%2500)
		c.taxDec[i] = decimal128.FromI64(int64(i%9 + 1))
		c.taxI64[i] = int64(i%9 + 1)
	}
	for k := range c.flag {
		c.flagOff[k] = make([]int32, n+1)
		c.flag[k] = make([]byte, n)
		for i := range n {
			c.flag[k][i] = "ANR"[i%3]
			c.flagOff[k][i+1] = int32(i + 1)
		}
	}
	return c
}

func sumDec(s []decimal128.Num) uint64 {
	var lo uint64
	var hi int64
	for _, v := range s {
		lo += v.LowBits()
		hi += v.HighBits()
	}
	return lo + uint64(hi)
}

func sumI64(s []int64) uint64 {
	var t int64
	for _, v := range s {
		t += v
	}
	return uint64(t)
}

func sumI32(s []int32) uint64 {
	var t int64
	for _, v := range s {
		t += int64(v)
	}
	return uint64(t)
}

func sumBytes(s []byte) uint64 {
	var t uint64
	for _, v := range s {
		t += uint64(v)
	}
	return t
}

// sumRows sums rows [lo, hi) of the columns in a layout, as Q6 (q1=false)
// or Q1 reads them.
func (c *q1Columns) sumRows(lo, hi int, arrow, q1 bool) uint64 {
	var t uint64
	for k := range 3 {
		if arrow {
			t += sumDec(c.dec[k][lo:hi])
		} else {
			t += sumI64(c.i64[k][lo:hi])
		}
	}
	t += sumI32(c.date[lo:hi])
	if !q1 {
		return t
	}
	if arrow {
		t += sumDec(c.taxDec[lo:hi])
	} else {
		t += sumI64(c.taxI64[lo:hi])
	}
	for k := range c.flag {
		if arrow {
			t += sumI32(c.flagOff[k][lo+1 : hi+1])
		}
		t += sumBytes(c.flag[k][lo:hi])
	}
	return t
}

// rowBytes is the bytes per row each layout reads.
func rowBytes(arrow, q1 bool) int64 {
	switch {
	case arrow && q1:
		return 4*16 + 4 + 2*(4+1)
	case arrow:
		return 3*16 + 4
	case q1:
		return 4*8 + 4 + 2
	}
	return 3*8 + 4
}

func benchBandwidth(b *testing.B, q1 bool) {
	c := newQ1Columns(sf1LineitemRows)
	for _, layout := range []string{"arrow", "compact"} {
		arrow := layout == "arrow"
		for _, workers := range []int{1, 2} {
			name := layout
			if workers == 2 {
				name += "-2w"
			}
			b.Run(name, func(b *testing.B) {
				bytes := rowBytes(arrow, q1) * sf1LineitemRows
				b.SetBytes(bytes)
				var sink uint64
				for b.Loop() {
					sums := make([]uint64, workers)
					var wg sync.WaitGroup
					for w := range workers {
						lo, hi := w*sf1LineitemRows/workers, (w+1)*sf1LineitemRows/workers
						wg.Add(1)
						go func() {
							defer wg.Done()
							sums[w] = c.sumRows(lo, hi, arrow, q1)
						}()
					}
					wg.Wait()
					for _, s := range sums {
						sink += s
					}
				}
				if sink == 0 {
					b.Fatal("nothing summed")
				}
				perOp := b.Elapsed().Seconds() / float64(b.N)
				b.ReportMetric(perOp*1e3, "ms-per-SF1")
				b.ReportMetric(float64(bytes)/perOp/1e9, "GB/s")
			})
		}
	}
}

// BenchmarkBandwidthQ6 sums Q6's four columns.
func BenchmarkBandwidthQ6(b *testing.B) { benchBandwidth(b, false) }

// BenchmarkBandwidthQ1 sums Q1's seven columns.
func BenchmarkBandwidthQ1(b *testing.B) { benchBandwidth(b, true) }
