package ipcsrc

import (
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/sqlerr"
)

// File is an open Arrow IPC file: its schema mapped to engine types and
// the number of record batches. After Open it is read-only, so it may be
// used by several goroutines, each with its own Reader. Close the Readers
// before the File.
type File struct {
	path    string
	osf     *os.File
	size    int64
	cols    []column
	schema  *arrow.Schema
	batches int
}

// Open opens an Arrow IPC file and reads its footer and schema. Errors name
// the file: ErrIO for a missing, empty, truncated or corrupt file,
// ErrNotSupported for a column type minisql cannot read.
func Open(path string) (f *File, err error) {
	osf, err := os.Open(path)
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "arrow file %q: %v", path, err)
	}
	defer func() {
		if err != nil {
			osf.Close()
		}
	}()
	st, err := osf.Stat()
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "arrow file %q: %v", path, err)
	}
	if st.IsDir() {
		return nil, sqlerr.New(sqlerr.ErrIO, "arrow file %q is a directory", path)
	}
	if st.Size() == 0 {
		return nil, sqlerr.New(sqlerr.ErrIO, "arrow file %q is empty", path)
	}
	f = &File{path: path, osf: osf, size: st.Size()}
	if err := f.readFooter(); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *File) readFooter() (err error) {
	defer f.recoverInto(&err, "reading footer")
	if err := checkFooter(f.osf, f.size); err != nil {
		return f.corrupt("%v", err)
	}
	// Dictionaries would be loaded here, before the schema is checked: the
	// Go allocator keeps them out of any caller's accounting.
	fr, err := f.newLibReader(newBatchAlloc(memory.DefaultAllocator, f.size))
	if err != nil {
		return err
	}
	defer fr.Close()
	if f.cols, err = mapSchema(f.path, fr.Schema()); err != nil {
		return err
	}
	fields := make([]arrow.Field, len(f.cols))
	for i, c := range f.cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: c.nullable}
	}
	f.schema = arrow.NewSchema(fields, nil)
	// Each record batch has a 24-byte block in the footer; a count the file
	// cannot hold comes from a corrupt footer (and would size allocations).
	f.batches = fr.NumRecords()
	if f.batches < 0 || int64(f.batches) > f.size/24 {
		return f.corrupt("footer lists %d record batches", f.batches)
	}
	return nil
}

// newLibReader opens the IPC library's reader over the file.
func (f *File) newLibReader(mem memory.Allocator) (*ipc.FileReader, error) {
	fr, err := ipc.NewFileReader(io.NewSectionReader(f.osf, 0, f.size), ipc.WithAllocator(mem))
	if err != nil {
		return nil, f.ioError(err, "reading footer")
	}
	return fr, nil
}

// Path is the file's path as given to Open.
func (f *File) Path() string { return f.path }

// Schema is the engine schema: one field per column of the file, with the
// file's names and nullability and canonical engine types, without
// metadata.
func (f *File) Schema() *arrow.Schema { return f.schema }

// NumRecordBatches is the number of record batches, the units of parallel
// scans.
func (f *File) NumRecordBatches() int { return f.batches }

// AllRecordBatches returns the indices of every record batch, in order.
func (f *File) AllRecordBatches() []int {
	out := make([]int, f.batches)
	for i := range out {
		out[i] = i
	}
	return out
}

// Close closes the file. It is idempotent; Readers must be closed first.
func (f *File) Close() error {
	if f.osf == nil {
		return nil
	}
	err := f.osf.Close()
	f.osf = nil
	if err != nil {
		return sqlerr.Wrap(sqlerr.ErrIO, err, "arrow file %q: %v", f.path, err)
	}
	return nil
}

func (f *File) ioError(err error, what string) error {
	return sqlerr.Wrap(sqlerr.ErrIO, err, "arrow file %q: %s: %v", f.path, what, err)
}

func (f *File) corrupt(format string, args ...any) error {
	return sqlerr.New(sqlerr.ErrIO, "arrow file %q is corrupt: %s", f.path, fmt.Sprintf(format, args...))
}

// recoverInto turns a panic of the IPC library (it panics on many kinds of
// corrupt input) into an ErrIO error naming the file.
func (f *File) recoverInto(err *error, what string) {
	if r := recover(); r != nil {
		*err = sqlerr.New(sqlerr.ErrIO, "arrow file %q is corrupt: %s: %v", f.path, what, r)
	}
}
