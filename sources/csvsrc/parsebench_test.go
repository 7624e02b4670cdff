package csvsrc

import "testing"

func BenchmarkParsers(b *testing.B) {
	ints := [][]byte{[]byte("1"), []byte("155190"), []byte("7706"), []byte("4")}
	decs := [][]byte{[]byte("17.00"), []byte("21168.23"), []byte("0.04"), []byte("0.02")}
	dates := [][]byte{[]byte("1996-03-13"), []byte("1996-02-12"), []byte("1996-03-22"), []byte("1998-12-01")}
	b.Run("int64", func(b *testing.B) {
		var s int64
		for i := 0; i < b.N; i++ {
			v, _ := parseInt64(ints[i&3])
			s += v
		}
		_ = s
	})
	b.Run("decimal", func(b *testing.B) {
		var s uint64
		for i := 0; i < b.N; i++ {
			v, _ := parseDecimal(decs[i&3], 15, 2)
			s += v.LowBits()
		}
		_ = s
	})
	b.Run("date", func(b *testing.B) {
		var s int32
		for i := 0; i < b.N; i++ {
			v, _ := parseDate(dates[i&3])
			s += v
		}
		_ = s
	})
}
