package smoke

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/engine"
)

func TestTPCHProbe(t *testing.T) {
	e := engine.Open()
	files, _ := filepath.Glob("../../testdata/tpch/sf0.01/*.parquet")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".parquet")
		tb, err := catalog.OpenParquet(name, f)
		if err != nil {
			t.Fatal(err)
		}
		e.Register(tb, false)
	}
	qs, _ := filepath.Glob("../../testdata/tpch/queries/*.sql")
	for _, q := range qs {
		text, _ := os.ReadFile(q)
		start := time.Now()
		rows, err := e.Query(context.Background(), string(text))
		if err != nil {
			fmt.Printf("%s: ERROR %v\n", filepath.Base(q), err)
			continue
		}
		n := 0
		var first string
		for rows.Next() {
			rec := rows.Record()
			if n == 0 && rec.NumRows() > 0 {
				for c := 0; c < int(rec.NumCols()); c++ {
					first += rec.Column(c).ValueStr(0) + "|"
				}
			}
			n += int(rec.NumRows())
		}
		if err := rows.Err(); err != nil {
			fmt.Printf("%s: ERROR %v\n", filepath.Base(q), err)
		} else {
			fmt.Printf("%s: %d rows in %v: %s\n", filepath.Base(q), n, time.Since(start).Round(time.Millisecond), first)
		}
		rows.Close()
	}
}
