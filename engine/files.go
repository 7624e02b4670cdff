package engine

import (
	"context"
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
	case ".csv", ".tbl", ".tsv":
		return catalog.OpenCSV(context.Background(), name, path)
	case ".arrow", ".feather", ".ipc":
		return catalog.OpenIPC(name, path)
	}
	return nil, nil
}

// isDataPath reports whether a table name is really a file path (a
// back-quoted name in FROM, such as `data/lineitem.parquet`).
func isDataPath(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".parquet", ".csv", ".tbl", ".tsv", ".arrow", ".feather", ".ipc":
		return true
	}
	return false
}
