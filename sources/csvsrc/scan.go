package csvsrc

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// lo7 has the low seven bits of every byte set.
const lo7 = 0x7f7f7f7f7f7f7f7f

// span is a field's byte range [s, e) in the scanned buffer. A quoted field's
// range includes both quotes: a field is quoted exactly when it starts with
// the quote character, so no flag is needed.
type span struct{ s, e int32 }

// scanStatus is the outcome of scanning one record.
type scanStatus uint8

const (
	scanOK           scanStatus = iota
	scanMore                    // the record is incomplete: read more and scan it again
	scanUnterminated            // end of file inside a quoted field
	scanAfterQuote              // a byte other than delimiter or line end after a closing quote
	scanTooMany                 // more fields than the scanner has room for
)

// scanResult describes one scanned record.
type scanResult struct {
	next   int        // offset just past the record's line end
	nf     int        // number of fields, stored in scanner.spans[:nf]
	lines  int        // newlines inside quoted fields (the record spans lines+1 lines)
	errPos int        // offset of the problem when status is an error
	status scanStatus // scanOK or why not
}

// scanner splits records into fields. It keeps no position: the caller owns
// the buffer and passes the offset of each record, so one scanner serves both
// the batch reader and the sampler.
type scanner struct {
	delim   byte
	quote   byte
	esc     byte // makes the next byte literal inside quotes; == quote for doubling
	quoting bool
	grow    bool   // let spans grow (sampling, error reports); else scanTooMany
	bcast   uint64 // the delimiter in every byte
	spans   []span // fields of the last record
}

func newScanner(o *Options, maxFields int, grow bool) *scanner {
	return &scanner{
		delim:   o.Delimiter,
		quote:   o.Quote,
		esc:     o.Escape,
		quoting: !o.NoQuote,
		grow:    grow,
		bcast:   uint64(o.Delimiter) * 0x0101010101010101,
		spans:   make([]span, maxFields),
	}
}

// scan splits the record starting at buf[pos]. eof says that buf ends at the
// end of the file; otherwise a record that runs to the end of buf is
// reported as scanMore. Offsets must fit in int32 (the reader caps its buffer).
func (sc *scanner) scan(buf []byte, pos int, eof bool) scanResult {
	var lineEnd, next int
	if k := bytes.IndexByte(buf[pos:], '\n'); k >= 0 {
		lineEnd, next = pos+k, pos+k+1
	} else if eof {
		lineEnd, next = len(buf), len(buf)
	} else {
		return scanResult{status: scanMore}
	}
	if sc.quoting {
		if q := bytes.IndexByte(buf[pos:lineEnd], sc.quote); q >= 0 {
			// Delimiters before the first quote are real: split them fast,
			// then run the state machine from the field holding the quote.
			f, start, ok := sc.splitPlain(buf, pos, pos+q, 0)
			if !ok {
				return scanResult{status: scanTooMany, errPos: start}
			}
			return sc.scanQuoted(buf, start, f, eof)
		}
	}
	// Fast path: a line without quotes is one record; only the delimiter
	// matters.
	if lineEnd > pos && buf[lineEnd-1] == '\r' {
		lineEnd--
	}
	f, start, ok := sc.splitPlain(buf, pos, lineEnd, 0)
	if !ok || !sc.room(f) {
		return scanResult{status: scanTooMany, errPos: start}
	}
	sc.spans[f] = span{int32(start), int32(lineEnd)}
	return scanResult{next: next, nf: f + 1}
}

// room makes sure spans has an entry f, growing it if allowed.
func (sc *scanner) room(f int) bool {
	if f < len(sc.spans) {
		return true
	}
	if !sc.grow {
		return false
	}
	sc.spans = append(sc.spans, span{})
	return true
}

// splitPlain stores, from field f on, the fields that end at a delimiter in
// buf[from:to], where no quote can occur. It returns the field count and the
// start of the field in progress (ok is false when spans ran out).
func (sc *scanner) splitPlain(buf []byte, from, to, f int) (int, int, bool) {
	spans := sc.spans
	start := from
	part := buf[from:to]
	// Eight bytes at a time: mark the bytes equal to the delimiter (exact
	// SWAR zero-byte test on word XOR delimiters) and visit the marks.
	i := 0
	for ; i+8 <= len(part); i += 8 {
		x := binary.LittleEndian.Uint64(part[i:]) ^ sc.bcast
		m := ^(((x & lo7) + lo7) | x | lo7)
		for m != 0 {
			k := from + i + bits.TrailingZeros64(m)>>3
			m &= m - 1
			if f == len(spans) {
				if !sc.room(f) {
					return f, k, false
				}
				spans = sc.spans
			}
			spans[f] = span{int32(start), int32(k)}
			f++
			start = k + 1
		}
	}
	d := sc.delim
	for ; i < len(part); i++ {
		if part[i] != d {
			continue
		}
		k := from + i
		if f == len(spans) {
			if !sc.room(f) {
				return f, k, false
			}
			spans = sc.spans
		}
		spans[f] = span{int32(start), int32(k)}
		f++
		start = k + 1
	}
	return f, start, true
}

// scanQuoted is the general state machine for records that contain the
// quote character; a quoted field may run over several lines. It starts at
// the start of field f, at buf[pos].
func (sc *scanner) scanQuoted(buf []byte, pos, f int, eof bool) scanResult {
	n := len(buf)
	q, d := sc.quote, sc.delim
	lines := 0
	i := pos
	for {
		start := i
		var end int
		if i < n && buf[i] == q {
			i++
			for {
				k := sc.indexQuote(buf[i:])
				if k < 0 {
					if eof {
						return scanResult{status: scanUnterminated, errPos: start, lines: lines + bytes.Count(buf[i:], []byte("\n"))}
					}
					return scanResult{status: scanMore}
				}
				lines += bytes.Count(buf[i:i+k], []byte("\n"))
				i += k
				if buf[i] != q { // a distinct escape character
					if i+1 == n {
						if !eof {
							return scanResult{status: scanMore}
						}
						return scanResult{status: scanUnterminated, errPos: start, lines: lines}
					}
					if buf[i+1] == '\n' {
						lines++
					}
					i += 2
					continue
				}
				i++
				if i == n {
					if !eof {
						return scanResult{status: scanMore} // the next byte may be a second quote
					}
					break
				}
				if buf[i] != q || sc.esc != q {
					break
				}
				i++ // a doubled quote stands for one quote
			}
			end = i
		} else {
			// Unquoted: a quote inside is taken literally.
			for i < n && buf[i] != d && buf[i] != '\n' {
				i++
			}
			if i == n && !eof {
				return scanResult{status: scanMore}
			}
			end = i
			if end > start && buf[end-1] == '\r' && (i == n || buf[i] == '\n') {
				end--
			}
		}
		if !sc.room(f) {
			return scanResult{status: scanTooMany, errPos: start}
		}
		sc.spans[f] = span{int32(start), int32(end)}
		f++
		if i == n {
			return scanResult{next: n, nf: f, lines: lines}
		}
		switch c := buf[i]; c {
		case d:
			i++
		case '\n':
			return scanResult{next: i + 1, nf: f, lines: lines}
		case '\r':
			if i+1 < n {
				if buf[i+1] == '\n' {
					return scanResult{next: i + 2, nf: f, lines: lines}
				}
				return scanResult{status: scanAfterQuote, errPos: i, lines: lines}
			}
			if !eof {
				return scanResult{status: scanMore}
			}
			return scanResult{next: n, nf: f, lines: lines}
		default:
			return scanResult{status: scanAfterQuote, errPos: i, lines: lines}
		}
	}
}

// indexQuote returns the offset in b of the first quote character, or of
// the first escape character when that is another byte, or -1.
func (sc *scanner) indexQuote(b []byte) int {
	k := bytes.IndexByte(b, sc.quote)
	if sc.esc == sc.quote {
		return k
	}
	if k < 0 {
		return bytes.IndexByte(b, sc.esc)
	}
	if e := bytes.IndexByte(b[:k], sc.esc); e >= 0 {
		return e
	}
	return k
}

// isQuoted reports whether field b (as stored, quotes included) is quoted.
func (sc *scanner) isQuoted(b []byte) bool {
	return sc.quoting && len(b) > 0 && b[0] == sc.quote
}

// unquote returns the content of field b: quotes stripped, escapes (doubled
// quotes by default) undone into scratch, which is reused, and whether it
// was quoted.
func (sc *scanner) unquote(b []byte, scratch []byte) (content []byte, quoted bool, newScratch []byte) {
	if !sc.isQuoted(b) {
		return b, false, scratch
	}
	b = b[1 : len(b)-1]
	if bytes.IndexByte(b, sc.esc) < 0 {
		return b, true, scratch
	}
	scratch = appendUnescaped(scratch[:0], b, sc.esc)
	return scratch, true, scratch
}

// appendUnescaped appends the content of a quoted field, b, keeping the
// byte after each escape character and dropping the escape. With the quote
// as escape this reduces every doubled quote to one.
func appendUnescaped(dst, b []byte, esc byte) []byte {
	for {
		k := bytes.IndexByte(b, esc)
		if k < 0 || k+1 >= len(b) {
			return append(dst, b...)
		}
		dst = append(dst, b[:k]...)
		dst = append(dst, b[k+1])
		b = b[k+2:]
	}
}
