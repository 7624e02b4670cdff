package tpchgen

// Small writers for the formatted string columns. Each writes into a slice
// reserved with colBuf.grab, so no value is ever built in a temporary.

// digits returns the number of decimal digits of v >= 0.
func digits(v int64) int {
	n := 1
	for v >= 10 {
		v /= 10
		n++
	}
	return n
}

// putPadded writes v right-aligned in dst with leading zeros.
func putPadded(dst []byte, v int64) {
	for i := len(dst) - 1; i >= 0; i-- {
		dst[i] = byte('0' + v%10)
		v /= 10
	}
}

// namer writes "<prefix><key padded to 9 digits or more>" (Supplier#000000001).
type namer struct {
	prefix string
	width  int // digits
}

func newNamer(prefix string, maxKey int64) namer {
	return namer{prefix: prefix, width: max(9, digits(maxKey))}
}

func (nm namer) size() int { return len(nm.prefix) + nm.width }

func (nm namer) put(c *colBuf, key int64) {
	dst := c.grab(nm.size())
	copy(dst, nm.prefix)
	putPadded(dst[len(nm.prefix):], key)
}

// phoneLen is the length of "CC-LLL-LLL-LLLL".
const phoneLen = 15

// putPhone writes a clause 4.2.2.9 phone number: the country code is the
// nation key plus 10, then three random local parts.
func putPhone(c *colBuf, nationKey int64, r uint64) {
	dst := c.grab(phoneLen)
	putPadded(dst[0:2], nationKey+10)
	// 32 random bits are plenty for each part; take them from one draw.
	dst[2] = '-'
	putPadded(dst[3:6], 100+int64(((r&0xffffffff)*900)>>32))
	dst[6] = '-'
	putPadded(dst[7:10], 100+int64(((r>>32)*900)>>32))
	dst[10] = '-'
	putPadded(dst[11:15], 1000+int64(mix64(r)%9000))
}

// putVString writes a clause 4.2.2.7 random v-string: a random length in
// rng, then characters from the 64-character alphanumeric set, six random
// bits each (ten per 64-bit draw).
func putVString(c *colBuf, r uint64, rng lenRange) {
	g := local{s: r}
	n := int(uniform(g.next(), int64(rng.min), int64(rng.max)))
	dst := c.grab(n)
	for i := 0; i < n; {
		bits := g.next()
		for k := 0; k < 10 && i < n; k++ {
			dst[i] = alphanum[bits&63]
			bits >>= 6
			i++
		}
	}
}
