package expr

import (
	"encoding/binary"
)

// strEqShortWords sets bit i of out when string i (offs, data) equals c,
// for a constant of at most 8 bytes, 64 rows a time, each word of results
// built in a register: one 8-byte load, masked to the constant's length,
// and one compare a row, where the general loop called memequal a row.
// Q10's l_returnflag = 'R' took 9 ns a row. It returns how many rows it
// did: every whole word of them whose strings all leave 8 bytes to load
// before the end of data (the rest is for the caller). out must be zero.
func strEqShortWords(offs []int32, data []byte, c []byte, out []byte) int {
	var cw uint64
	for i, b := range c {
		cw |= uint64(b) << (8 * i)
	}
	mask := ^uint64(0)
	if len(c) < 8 {
		mask = 1<<(8*len(c)) - 1
	}
	n := len(offs) - 1
	want := int32(len(c))
	done := 0
	for ; done+64 <= n; done += 64 {
		if int(offs[done+64])+8 > len(data) {
			break // the last strings are too near the end for 8-byte loads
		}
		o := offs[done : done+65]
		var acc uint64
		for j := range 64 {
			s := o[j]
			w := binary.LittleEndian.Uint64(data[s:]) & mask
			acc |= uint64(b2u(o[j+1]-s == want && w == cw)) << j
		}
		binary.LittleEndian.PutUint64(out[done/8:], acc)
	}
	return done
}

// invertWords flips the first rows bits of out, a whole number of words.
func invertWords(out []byte, rows int) {
	for i := 0; i < rows/8; i += 8 {
		binary.LittleEndian.PutUint64(out[i:], ^binary.LittleEndian.Uint64(out[i:]))
	}
}
