package csvsrc

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
)

// segment is a run of consecutive records read for inference.
type segment struct {
	buf       []byte
	fields    []span  // all fields of all records, flattened
	counts    []int32 // fields per record
	lines     []int64 // physical line of each record, relative to the segment's first line (1-based)
	ends      []int64 // file offset just past each record
	start     int64   // file offset of the first record
	end       int64   // file offset just past the last record read
	lineAfter int64   // relative line just past the last record read
	eof       bool    // the segment reached the end of the file
	quotedNL  bool    // a quoted field contained a newline
	status    scanStatus
	errPos    int64 // file offset of the problem when status is an error
	errLine   int64 // relative line of the problem
}

// each calls fn for every record with its fields, checking ctx every
// 1024 records (a sample is up to SampleRows records of any width).
func (s *segment) each(ctx context.Context, fn func(r int, fields []span)) error {
	base := 0
	for r, c := range s.counts {
		if r%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		fn(r, s.fields[base:base+int(c)])
		base += int(c)
	}
	return nil
}

const sampleBlock = 64 << 10

// errRecordTooLong reports a record that does not fit in maxBuffer bytes.
var errRecordTooLong = errors.New("record too long")

// readSegment reads up to maxRows records from file offset off. With sync
// set, it first skips to the next line start (reading from off-1, so that
// off itself counts when a newline precedes it). Reading stops at the first
// malformed record, which is reported in status.
func readSegment(ctx context.Context, fd *os.File, off int64, maxRows int, sc *scanner, sync bool) (*segment, error) {
	seg := &segment{start: off}
	readFrom := off
	if sync && off > 0 {
		readFrom = off - 1
	}
	var buf []byte
	eof := false
	more := func() error {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := max(sampleBlock, len(buf))
		if len(buf)+n > maxBuffer {
			return errRecordTooLong
		}
		old := len(buf)
		buf = append(buf, make([]byte, n)...)
		k, err := fd.ReadAt(buf[old:], readFrom+int64(old))
		buf = buf[:old+k]
		if err == io.EOF {
			eof = true
		} else if err != nil {
			return err
		}
		return nil
	}
	pos := 0
	if sync && off > 0 {
		for {
			if k := indexNewline(buf, pos); k >= 0 {
				pos = k + 1
				break
			}
			pos = len(buf)
			if eof {
				seg.eof, seg.end, seg.buf = true, readFrom+int64(len(buf)), buf
				return seg, nil
			}
			if err := more(); err != nil {
				return nil, err
			}
		}
	}
	seg.start = readFrom + int64(pos)
	line := int64(1)
	for len(seg.counts) < maxRows {
		if pos == len(buf) && eof {
			seg.eof = true
			break
		}
		res := sc.scan(buf, pos, eof)
		if res.status == scanMore {
			if err := more(); err != nil {
				return nil, err
			}
			continue
		}
		if res.status != scanOK {
			seg.status, seg.errPos, seg.errLine = res.status, readFrom+int64(res.errPos), line
			break
		}
		if res.lines > 0 {
			seg.quotedNL = true
		}
		seg.fields = append(seg.fields, sc.spans[:res.nf]...)
		seg.counts = append(seg.counts, int32(res.nf))
		seg.lines = append(seg.lines, line)
		seg.ends = append(seg.ends, readFrom+int64(res.next))
		line += int64(res.lines) + 1
		pos = res.next
	}
	if pos == len(buf) && eof {
		seg.eof = true
	}
	seg.end = readFrom + int64(pos)
	seg.lineAfter = line
	seg.buf = buf
	return seg, nil
}

// indexNewline returns the offset of the first newline at or after from, or -1.
func indexNewline(buf []byte, from int) int {
	if k := bytes.IndexByte(buf[from:], '\n'); k >= 0 {
		return from + k
	}
	return -1
}
