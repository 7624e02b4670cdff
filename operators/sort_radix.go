package operators

// MSD radix sort of normalized key records (see sort_keys.go), a byte at a
// time from the most significant. It is interruptible: every pass over a
// bucket spends budget in chunks, so a cancel is seen within a few
// thousand records however large the input.

const (
	// radixSmall: buckets this small are finished by insertion sort, which
	// beats another counting pass.
	radixSmall = 24
	// spendChunk is the number of records between two Spend calls in a pass.
	spendChunk = 4096
)

// radixSorter sorts records of w words each.
type radixSorter struct {
	t      *Task
	w      int
	recs   []uint64
	tmp    []uint64 // scatter target, same size as recs
	diff   []uint64 // per word: bits that are not the same in every record
	keyEnd int      // bytes from here on hold row-id bits only
	limit  int      // only the first limit records need to end in order
	key    []uint64 // insertion sort's record in hand
}

// byteOf returns byte b (0 = most significant) of a record's words.
func byteOf(rec []uint64, b int) byte { return byte(rec[b>>3] >> (56 - 8*(b&7))) }

// sortRecords sorts recs (n records of w words) in place; tmp is scratch of
// the same size. Only the first limit records are guaranteed in order.
func sortRecords(t *Task, recs, tmp []uint64, w, keyEnd, limit int) error {
	s := &radixSorter{t: t, w: w, recs: recs, tmp: tmp, keyEnd: keyEnd, limit: limit, key: make([]uint64, w)}
	if err := s.findDiff(); err != nil {
		return err
	}
	return s.sort(0, len(recs)/w, 0)
}

// findDiff marks the bits in which some record differs from the first, so
// that bytes equal in every record (the top of a narrow range, the high
// bits of the row ids) cost nothing.
func (s *radixSorter) findDiff() error {
	w, r := s.w, s.recs
	s.diff = make([]uint64, w)
	n := len(r) / w
	for lo := 0; lo < n; lo += spendChunk {
		hi := min(lo+spendChunk, n)
		for k := 0; k < w; k++ {
			first, d := r[k], s.diff[k]
			for i := lo; i < hi; i++ {
				d |= r[i*w+k] ^ first
			}
			s.diff[k] = d
		}
		if err := s.t.Spend(hi - lo); err != nil {
			return err
		}
	}
	return nil
}

// sort orders records [lo, hi), which agree on every byte before b.
func (s *radixSorter) sort(lo, hi, b int) error {
	for {
		for b < s.keyEnd && byteOf(s.diff, b) == 0 {
			b++
		}
		n := hi - lo
		// Past keyEnd only row-id bits are left, and the scatter passes
		// are stable: the bucket is already in id order.
		if n <= 1 || b >= s.keyEnd || lo >= s.limit {
			return nil
		}
		if n <= radixSmall {
			s.insertion(lo, hi, b>>3)
			return s.t.Spend(n)
		}
		var count [256]int
		if err := s.histogram(lo, hi, b, &count); err != nil {
			return err
		}
		if count[byteOf(s.recs[lo*s.w:], b)] == n { // one bucket: next byte
			b++
			continue
		}
		var start [256]int
		sum := 0
		for c, k := range count {
			start[c] = sum
			sum += k
		}
		if err := s.scatter(lo, hi, b, start); err != nil {
			return err
		}
		for c, k := range count {
			if k > 1 && lo+start[c] < s.limit {
				if err := s.sort(lo+start[c], lo+start[c]+k, b+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// histogram counts the values of byte b over records [lo, hi).
func (s *radixSorter) histogram(lo, hi, b int, count *[256]int) error {
	w, r := s.w, s.recs
	word, shift := b>>3, 56-8*(b&7)
	for c := lo; c < hi; c += spendChunk {
		e := min(c+spendChunk, hi)
		if w == 1 {
			for _, v := range r[c:e] {
				count[byte(v>>shift)]++
			}
		} else {
			for i := c; i < e; i++ {
				count[byte(r[i*w+word]>>shift)]++
			}
		}
		if err := s.t.Spend(e - c); err != nil {
			return err
		}
	}
	return nil
}

// scatter moves records [lo, hi) into the buckets of byte b (stable), by
// way of tmp, and back.
func (s *radixSorter) scatter(lo, hi, b int, next [256]int) error {
	w, r, tmp := s.w, s.recs, s.tmp
	word, shift := b>>3, 56-8*(b&7)
	for c := lo; c < hi; c += spendChunk {
		e := min(c+spendChunk, hi)
		switch w {
		case 1:
			dst := tmp[lo:hi]
			for _, v := range r[c:e] {
				k := byte(v >> shift)
				dst[next[k]] = v
				next[k]++
			}
		case 2:
			dst := tmp[2*lo : 2*hi]
			for i := c; i < e; i++ {
				v0, v1 := r[2*i], r[2*i+1]
				k := byte(r[2*i+word] >> shift)
				d := 2 * next[k]
				dst[d], dst[d+1] = v0, v1
				next[k]++
			}
		case 3:
			dst := tmp[3*lo : 3*hi]
			for i := c; i < e; i++ {
				v0, v1, v2 := r[3*i], r[3*i+1], r[3*i+2]
				k := byte(r[3*i+word] >> shift)
				d := 3 * next[k]
				dst[d], dst[d+1], dst[d+2] = v0, v1, v2
				next[k]++
			}
		default:
			// A word at a time: copy's call costs more than a few words.
			dst := tmp[w*lo : w*hi]
			for i := c; i < e; i++ {
				k := byte(r[i*w+word] >> shift)
				d, src := dst[w*next[k]:w*next[k]+w], r[i*w:i*w+w]
				for x := range d {
					d[x] = src[x]
				}
				next[k]++
			}
		}
		if err := s.t.Spend(e - c); err != nil {
			return err
		}
	}
	for c := lo; c < hi; c += spendChunk {
		e := min(c+spendChunk, hi)
		copy(r[c*w:e*w], tmp[c*w:e*w])
		if err := s.t.Spend((e - c) / 4); err != nil {
			return err
		}
	}
	return nil
}

// insertion sorts records [lo, hi), which agree on the words before wi.
func (s *radixSorter) insertion(lo, hi, wi int) {
	w, r := s.w, s.recs
	if w == 1 {
		for i := lo + 1; i < hi; i++ {
			v, j := r[i], i
			for ; j > lo && r[j-1] > v; j-- {
				r[j] = r[j-1]
			}
			r[j] = v
		}
		return
	}
	key := s.key
	for i := lo + 1; i < hi; i++ {
		copy(key, r[i*w:i*w+w])
		j := i
		for ; j > lo && wordsLess(key[wi:], r[(j-1)*w+wi:j*w]); j-- {
			copy(r[j*w:j*w+w], r[(j-1)*w:j*w])
		}
		copy(r[j*w:j*w+w], key)
	}
}

// wordsLess compares two equally long word strings.
func wordsLess(a, b []uint64) bool {
	for k := range a {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return false
}
