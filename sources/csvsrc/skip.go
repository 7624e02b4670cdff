package csvsrc

import (
	"bytes"
	"context"
	"io"
	"os"
)

// skipLines finds the offset just past the first n newlines of the file
// (the file's size if it has fewer) and how many lines that skips. It reads
// a block at a time, looking at ctx between blocks: skipped lines are
// never parsed, so a quote in them does not matter, as in DuckDB.
func skipLines(ctx context.Context, fd *os.File, n int) (int64, int64, error) {
	buf := make([]byte, sampleBlock)
	var off, lines int64
	for lines < int64(n) {
		if err := ctx.Err(); err != nil {
			return 0, 0, err
		}
		k, err := fd.ReadAt(buf, off)
		b := buf[:k]
		for lines < int64(n) {
			i := bytes.IndexByte(b, '\n')
			if i < 0 {
				break
			}
			lines++
			b = b[i+1:]
		}
		if lines == int64(n) {
			return off + int64(k-len(b)), lines, nil
		}
		off += int64(k)
		if err == io.EOF || k == 0 {
			return off, lines, nil
		}
		if err != nil {
			return 0, 0, err
		}
	}
	return off, lines, nil
}

// shiftLines makes a segment's line numbers count the lines before it.
func (s *segment) shiftLines(by int64) {
	if by == 0 {
		return
	}
	for i := range s.lines {
		s.lines[i] += by
	}
	s.errLine += by
	s.lineAfter += by
}
