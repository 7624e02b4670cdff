package catalog

import (
	"context"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/sources/csvsrc"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// CSVSpec is how read_csv reads a file: csvsrc's options, and what DuckDB
// does to the schema it infers (names and types given for some columns,
// everything as VARCHAR). csvsrc infers or takes a whole schema; the rest
// is done here by inferring first and opening again with the adjusted
// schema, so that every value is still checked against its final type.
type CSVSpec struct {
	Options csvsrc.Options // Header Auto: detected
	// Columns, if set, is the whole schema: nothing is inferred.
	Columns []arrow.Field
	// NoDetect (auto_detect = false) leaves a header not given as No.
	NoDetect    bool
	Names       []string  // the first columns' names
	Types       []types.T // the first columns' types
	TypesByName []arrow.Field
	AllVarchar  bool
}

// adjusts reports whether the inferred schema is changed.
func (s *CSVSpec) adjusts() bool {
	return s.Names != nil || s.Types != nil || s.TypesByName != nil || s.AllVarchar
}

// OpenCSVSpec opens a CSV file as a table as read_csv with options does.
func OpenCSVSpec(ctx context.Context, name, path string, spec CSVSpec) (*CSVTable, error) {
	o := spec.Options
	if spec.Columns != nil {
		if o.Header == csvsrc.Auto && spec.NoDetect {
			o.Header = csvsrc.No
		}
		if o.Header == csvsrc.Auto {
			// As DuckDB: the header is detected from the file's own
			// types, not from the given ones (a VARCHAR column fits any
			// header).
			probe, err := csvsrc.Open(ctx, path, o)
			if err != nil {
				return nil, err
			}
			o.Header = headerMode(probe.HasHeader())
		}
		o.Schema = arrow.NewSchema(spec.Columns, nil)
		return openCSVTable(ctx, name, path, o)
	}
	f, err := csvsrc.Open(ctx, path, o)
	if err != nil || !spec.adjusts() {
		if err != nil {
			return nil, err
		}
		return newCSVTable(name, f), nil
	}
	fields, err := spec.adjust(path, f.Schema().Fields())
	if err != nil {
		return nil, err
	}
	o.Schema = arrow.NewSchema(fields, nil)
	o.Header = headerMode(f.HasHeader())
	return openCSVTable(ctx, name, path, o)
}

// adjust applies names, all_varchar and types to the inferred fields.
func (s *CSVSpec) adjust(path string, fields []arrow.Field) ([]arrow.Field, error) {
	if len(s.Names) > len(fields) {
		return nil, sqlerr.New(sqlerr.ErrInvalidValue, "csv file %q has %d columns but %d names were given", path, len(fields), len(s.Names))
	}
	if len(s.Types) > len(fields) {
		return nil, sqlerr.New(sqlerr.ErrInvalidValue, "csv file %q has %d columns but %d types were given", path, len(fields), len(s.Types))
	}
	for i, n := range s.Names {
		fields[i].Name = n
	}
	if s.AllVarchar {
		for i := range fields {
			fields[i].Type = types.StringType.Arrow()
		}
	}
	for i, t := range s.Types {
		fields[i].Type = t.Arrow()
	}
	for _, bt := range s.TypesByName {
		found := false
		for i := range fields {
			if fields[i].Name == bt.Name {
				fields[i].Type, found = bt.Type, true
			}
		}
		if !found {
			return nil, sqlerr.New(sqlerr.ErrInvalidValue, "read_csv option types names column %q, which csv file %q does not have", bt.Name, path)
		}
	}
	return fields, nil
}

func headerMode(h bool) csvsrc.Mode {
	if h {
		return csvsrc.Yes
	}
	return csvsrc.No
}

func openCSVTable(ctx context.Context, name, path string, o csvsrc.Options) (*CSVTable, error) {
	f, err := csvsrc.Open(ctx, path, o)
	if err != nil {
		return nil, err
	}
	return newCSVTable(name, f), nil
}
