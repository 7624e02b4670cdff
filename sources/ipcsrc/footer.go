package ipcsrc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// checkFooter walks the flatbuffer footer of an IPC file before the IPC
// library parses it. The library sizes slices by vector lengths read from
// the footer (schema fields, children, metadata) without checking them
// against the buffer, and a huge make is a fatal out-of-memory error that
// recover cannot catch. Here every vector the library will size from must
// fit inside the footer, and the number of fields visited is bounded (a
// corrupt footer can point many vectors at one table). A file without the
// Arrow trailer is left for the library to reject.
func checkFooter(r io.ReaderAt, size int64) error {
	const trailer = 10 // int32 footer length + "ARROW1"
	if size < trailer {
		return nil
	}
	tail := make([]byte, trailer)
	if _, err := r.ReadAt(tail, size-trailer); err != nil {
		return nil
	}
	if !bytes.Equal(tail[4:], []byte("ARROW1")) {
		return nil
	}
	n := int64(int32(binary.LittleEndian.Uint32(tail)))
	if n <= 0 || n > size-trailer {
		return nil
	}
	buf := make([]byte, n)
	if _, err := r.ReadAt(buf, size-trailer-n); err != nil {
		return nil
	}
	w := fbWalker{buf: buf, budget: len(buf)}
	return w.footer()
}

var errFB = errors.New("corrupt footer")

// fbWalker checks the tables and vectors of one flatbuffer.
type fbWalker struct {
	buf    []byte
	budget int // tables left to visit
}

func (w *fbWalker) u32(p int64) (int64, error) {
	if p < 0 || p+4 > int64(len(w.buf)) {
		return 0, errFB
	}
	return int64(binary.LittleEndian.Uint32(w.buf[p:])), nil
}

func (w *fbWalker) u16(p int64) (int64, error) {
	if p < 0 || p+2 > int64(len(w.buf)) {
		return 0, errFB
	}
	return int64(binary.LittleEndian.Uint16(w.buf[p:])), nil
}

// table checks the table at p and its vtable, returning p.
func (w *fbWalker) table(p int64) (int64, error) {
	if w.budget--; w.budget < 0 {
		return 0, fmt.Errorf("%w: too many tables", errFB)
	}
	so, err := w.u32(p)
	if err != nil {
		return 0, err
	}
	vt := p - int64(int32(uint32(so)))
	vtLen, err := w.u16(vt)
	if err != nil || vtLen < 4 || vt+vtLen > int64(len(w.buf)) {
		return 0, errFB
	}
	return p, nil
}

// field returns the position of field id of the table at t, 0 if absent.
func (w *fbWalker) field(t int64, id int) (int64, error) {
	so, _ := w.u32(t) // checked by table
	vt := t - int64(int32(uint32(so)))
	vtLen, _ := w.u16(vt)
	slot := int64(4 + 2*id)
	if slot+2 > vtLen {
		return 0, nil
	}
	off, err := w.u16(vt + slot)
	if err != nil || off == 0 {
		return 0, err
	}
	return t + off, nil
}

// ref follows the offset stored in field id of table t; 0 if absent.
func (w *fbWalker) ref(t int64, id int) (int64, error) {
	p, err := w.field(t, id)
	if err != nil || p == 0 {
		return 0, err
	}
	off, err := w.u32(p)
	if err != nil {
		return 0, err
	}
	return p + off, nil
}

// vector checks the vector in field id of table t, whose elements are
// elem bytes wide, and returns the position of its first element and its
// length (0, 0 if absent).
func (w *fbWalker) vector(t int64, id int, elem int64) (int64, int64, error) {
	v, err := w.ref(t, id)
	if err != nil || v == 0 {
		return 0, 0, err
	}
	n, err := w.u32(v)
	if err != nil {
		return 0, 0, err
	}
	if v+4+n*elem > int64(len(w.buf)) {
		return 0, 0, fmt.Errorf("%w: vector of %d elements", errFB, n)
	}
	return v + 4, n, nil
}

// tables checks a vector of tables in field id of t, calling each for
// every element table.
func (w *fbWalker) tables(t int64, id int, each func(p int64) error) error {
	start, n, err := w.vector(t, id, 4)
	if err != nil {
		return err
	}
	for i := int64(0); i < n; i++ {
		p := start + 4*i
		off, _ := w.u32(p) // inside the checked vector
		tp, err := w.table(p + off)
		if err != nil {
			return err
		}
		if err := each(tp); err != nil {
			return err
		}
	}
	return nil
}

// Table layouts (Arrow's File.fbs and Schema.fbs): Footer {version,
// schema, dictionaries: [Block], recordBatches: [Block], custom_metadata},
// Schema {endianness, fields: [Field], custom_metadata, features}, Field
// {name, nullable, type_type, type, dictionary, children: [Field],
// custom_metadata}; Block is a 24-byte struct.
func (w *fbWalker) footer() error {
	root, err := w.u32(0)
	if err != nil {
		return err
	}
	f, err := w.table(root)
	if err != nil {
		return err
	}
	for _, id := range []int{2, 3} {
		if _, _, err := w.vector(f, id, 24); err != nil {
			return err
		}
	}
	s, err := w.ref(f, 1)
	if err != nil || s == 0 {
		return err
	}
	if s, err = w.table(s); err != nil {
		return err
	}
	if _, _, err := w.vector(s, 2, 4); err != nil {
		return err
	}
	return w.tables(s, 1, func(p int64) error { return w.fieldTable(p, 0) })
}

func (w *fbWalker) fieldTable(p int64, depth int) error {
	if depth > 64 {
		return fmt.Errorf("%w: nesting deeper than 64", errFB)
	}
	if _, _, err := w.vector(p, 0, 1); err != nil { // name
		return err
	}
	if _, _, err := w.vector(p, 6, 4); err != nil { // custom_metadata
		return err
	}
	return w.tables(p, 5, func(c int64) error { return w.fieldTable(c, depth+1) })
}
