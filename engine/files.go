package engine

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/sqlerr"
)

// RegisterDir registers every data file of a directory as a table named by
// its file stem (lineitem.parquet is table lineitem). It returns the names
// registered. A bad file is an error naming it; tables registered before
// it stay.
func (e *Engine) RegisterDir(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "%v", err)
	}
	var names []string
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, ent := range entries {
		if ent.IsDir() {
			continue
		}
		path := filepath.Join(dir, ent.Name())
		t, err := OpenFile(path)
		if err != nil {
			if sqlerr.Position(err) == -2 { // not a data file
				continue
			}
			return names, err
		}
		if t == nil {
			continue
		}
		if err := e.Register(t, true); err != nil {
			return names, err
		}
		names = append(names, t.Name())
	}
	return names, nil
}

// OpenFile opens a data file as a table named by its stem; it returns nil
// for a file that is not a known data format.
func OpenFile(path string) (catalog.Table, error) {
	base := filepath.Base(path)
	ext := strings.ToLower(filepath.Ext(base))
	name := strings.TrimSuffix(base, filepath.Ext(base))
	switch ext {
	case ".parquet":
		return catalog.OpenParquet(name, path)
	}
	return nil, nil
}
