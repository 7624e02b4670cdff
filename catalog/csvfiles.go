package catalog

import (
	"context"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/sources/csvsrc"
	"github.com/minisql/minisql/types"
)

// OpenCSVFiles opens CSV files read as one table (read_csv of a glob or a
// list). As in DuckDB, files whose columns have the same names but whose
// inferred types differ are read with a type that holds both (BIGINT and
// DOUBLE as DOUBLE, DATE and TIMESTAMP as TIMESTAMP, anything else as
// VARCHAR); different names or counts are an error naming two files. A
// nil spec reads each file as OpenCSV does (a TPC-H .tbl gets its schema).
func OpenCSVFiles(ctx context.Context, name string, paths []string, spec *CSVSpec) (Table, error) {
	tables := make([]*CSVTable, len(paths))
	for i, p := range paths {
		var t *CSVTable
		var err error
		if spec == nil {
			t, err = OpenCSV(ctx, name, p)
		} else {
			t, err = OpenCSVSpec(ctx, name, p, *spec)
		}
		if err != nil {
			return nil, err
		}
		tables[i] = t
	}
	if len(tables) == 1 {
		return tables[0], nil
	}
	if common, ok := commonSchema(tables); ok {
		for i, t := range tables {
			if sameColumns(common, t.Schema()) {
				continue
			}
			var o csvsrc.Options
			if spec != nil {
				o = spec.Options
			}
			o.Schema, o.Header = common, headerMode(t.f.HasHeader())
			nt, err := openCSVTable(ctx, name, paths[i], o)
			if err != nil {
				return nil, err
			}
			tables[i] = nt
		}
	}
	parts := make([]Table, len(tables))
	for i, t := range tables {
		parts[i] = t
	}
	return NewFilesTable(name, parts, paths) // reports different names
}

// commonSchema widens the tables' column types to common ones; ok is false
// when the names or the numbers of columns differ.
func commonSchema(tables []*CSVTable) (*arrow.Schema, bool) {
	first := tables[0].Schema()
	fields := append([]arrow.Field(nil), first.Fields()...)
	for _, t := range tables[1:] {
		s := t.Schema()
		if s.NumFields() != len(fields) {
			return nil, false
		}
		for i := range fields {
			if !strings.EqualFold(fields[i].Name, s.Field(i).Name) {
				return nil, false
			}
			a, errA := types.FromArrow(fields[i].Type)
			b, errB := types.FromArrow(s.Field(i).Type)
			if errA != nil || errB != nil {
				return nil, false
			}
			fields[i].Type = widen(a, b).Arrow()
		}
	}
	return arrow.NewSchema(fields, nil), true
}

// widen is the narrowest type inference knows that holds a and b.
func widen(a, b types.T) types.T {
	if a == b {
		return a
	}
	numeric := func(t types.T) bool {
		return t.Kind == types.Int64 || t.Kind == types.Decimal || t.Kind == types.Float64
	}
	switch {
	case numeric(a) && numeric(b):
		if a.Kind == types.Float64 || b.Kind == types.Float64 {
			return types.Float64Type
		}
		// BIGINT and DECIMAL, or two decimals: the largest scale, with
		// room for any BIGINT.
		scale := max(int(a.Scale), int(b.Scale))
		if d, err := types.NewDecimal(types.MaxDecimalPrecision, scale); err == nil {
			return d
		}
		return types.Float64Type
	case (a.Kind == types.Date || a.Kind == types.Timestamp) && (b.Kind == types.Date || b.Kind == types.Timestamp):
		return types.TimestampType
	}
	return types.StringType
}
