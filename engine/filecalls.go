package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/sources/csvsrc"
	"github.com/minisql/minisql/sqlerr"
)

// callTable opens the files of read_csv(...), read_csv_auto(...) or
// read_parquet(...) named in FROM (the pre-lexer has checked the call and
// made its text the table's name). Like a path, it is opened once and kept
// until a file it reads changes; a glob is matched again on every query.
func (e *Engine) callTable(name string) (catalog.Table, error) {
	call, err := parse.ParseFileCall(name)
	if err != nil {
		return nil, err
	}
	paths, err := expandPaths(call.Paths)
	if err != nil {
		return nil, err
	}
	var key strings.Builder
	key.WriteString(name)
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "%v", err)
		}
		fmt.Fprintf(&key, "|%s|%d|%d", p, st.Size(), st.ModTime().UnixNano())
	}
	return e.cachedFile(key.String(), func() (catalog.Table, error) {
		return openCall(call, name, paths)
	})
}

// expandPaths replaces glob patterns by the files they match, in order.
func expandPaths(patterns []string) ([]string, error) {
	var paths []string
	for _, p := range patterns {
		if !strings.ContainsAny(p, "*?[") {
			paths = append(paths, p)
			continue
		}
		m, err := filepath.Glob(p)
		if err != nil {
			return nil, sqlerr.Wrap(sqlerr.ErrInvalidValue, err, "bad file pattern %q: %v", p, err)
		}
		if len(m) == 0 {
			return nil, sqlerr.New(sqlerr.ErrIO, "no files found that match the pattern %q", p)
		}
		paths = append(paths, m...)
	}
	return paths, nil
}

func openCall(call *parse.FileCall, name string, paths []string) (catalog.Table, error) {
	if call.Func == "read_parquet" {
		parts := make([]catalog.Table, 0, len(paths))
		for _, p := range paths {
			t, err := catalog.OpenParquet(name, p)
			if err != nil {
				for _, o := range parts {
					_ = dropTable(o)
				}
				return nil, err
			}
			parts = append(parts, t)
		}
		if len(parts) == 1 {
			return parts[0], nil
		}
		t, err := catalog.NewFilesTable(name, parts, paths)
		if err != nil {
			for _, o := range parts {
				_ = dropTable(o)
			}
			return nil, err
		}
		return t, nil
	}
	// A CSV file read with options is opened until the query that needs it
	// is bound; sniffing reads a bounded sample.
	var spec *catalog.CSVSpec
	if len(call.Options) > 0 {
		spec = csvSpec(call.CSV)
	}
	return catalog.OpenCSVFiles(context.Background(), name, paths, spec)
}

// csvSpec maps read_csv's options onto csvsrc and the catalog's schema
// adjustments.
func csvSpec(a parse.CSVArgs) *catalog.CSVSpec {
	o := csvsrc.Options{Delimiter: a.Delim, Quote: a.Quote, NoQuote: a.NoQuote, Escape: a.Escape, NullValues: a.NullStr, Skip: a.Skip}
	if a.Header != nil {
		o.Header = csvsrc.No
		if *a.Header {
			o.Header = csvsrc.Yes
		}
	}
	spec := &catalog.CSVSpec{Options: o, NoDetect: !a.AutoDetect, Names: a.Names, Types: a.Types, AllVarchar: a.AllVarchar}
	for _, c := range a.Columns {
		spec.Columns = append(spec.Columns, arrow.Field{Name: c.Name, Type: c.Type.Arrow(), Nullable: true})
	}
	for _, c := range a.TypesByName {
		spec.TypesByName = append(spec.TypesByName, arrow.Field{Name: c.Name, Type: c.Type.Arrow(), Nullable: true})
	}
	return spec
}
