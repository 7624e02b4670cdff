package parquetsrc

import "github.com/apache/arrow/go/v17/arrow/decimal128"

// decimalFromBigEndian decodes a big-endian two's complement integer of 1 to
// 16 bytes, Parquet's layout for decimals in byte arrays.
func decimalFromBigEndian(b []byte) decimal128.Num {
	var hi, lo uint64
	if len(b) > 0 && b[0]&0x80 != 0 {
		hi, lo = ^uint64(0), ^uint64(0) // sign extension
	}
	for _, c := range b {
		hi = hi<<8 | lo>>56
		lo = lo<<8 | uint64(c)
	}
	return decimal128.New(int64(hi), lo)
}
