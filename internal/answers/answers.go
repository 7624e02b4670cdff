// Package answers compares query results with expected answers written as
// text (the official TPC-H answers, sqllogictest results): exactly for
// integers, decimals, strings and dates, within a relative tolerance for
// doubles.
package answers

import (
	"fmt"
	"math"
	"math/big"
	"os"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/types"
)

// FloatTolerance is the relative difference allowed between doubles.
const FloatTolerance = 1e-9

// Table is a result as text: a header and rows of fields ("" for NULL in
// PSV answers).
type Table struct {
	Header []string
	Rows   [][]string
	Types  []types.T // of the actual result; nil for expected answers
}

// ReadPSV reads a pipe-separated answer file with a header line.
func ReadPSV(path string) (*Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	// Only the final newline ends the file: an empty line before it is a
	// row of one NULL (TPC-H Q17 at SF0.01).
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	t := &Table{Header: strings.Split(lines[0], "|")}
	for _, l := range lines[1:] {
		t.Rows = append(t.Rows, strings.Split(l, "|"))
	}
	return t, nil
}

// FromRecords renders records as text, NULL as "".
func FromRecords(schema *arrow.Schema, recs []arrow.Record) *Table {
	t := &Table{}
	for _, f := range schema.Fields() {
		t.Header = append(t.Header, f.Name)
		t.Types = append(t.Types, types.MustFromArrow(f.Type))
	}
	for _, rec := range recs {
		for i := 0; i < int(rec.NumRows()); i++ {
			row := make([]string, rec.NumCols())
			for c := range row {
				d := expr.DatumAt(rec.Column(c), t.Types[c], i)
				if d.Valid {
					row[c] = d.Text(t.Types[c])
				}
			}
			t.Rows = append(t.Rows, row)
		}
	}
	return t
}

// Compare checks got against want row by row, in order, returning a
// description of the first difference.
func Compare(got, want *Table) error {
	if len(got.Rows) != len(want.Rows) {
		return fmt.Errorf("got %d rows, want %d", len(got.Rows), len(want.Rows))
	}
	for r := range want.Rows {
		if len(got.Rows[r]) != len(want.Rows[r]) {
			return fmt.Errorf("row %d: got %d columns, want %d", r+1, len(got.Rows[r]), len(want.Rows[r]))
		}
		for c := range want.Rows[r] {
			if !equal(got.Rows[r][c], want.Rows[r][c], got.Types[c]) {
				return fmt.Errorf("row %d column %d (%s): got %q, want %q", r+1, c+1, want.Header[c], got.Rows[r][c], want.Rows[r][c])
			}
		}
	}
	return nil
}

func equal(got, want string, t types.T) bool {
	if got == "" || want == "" {
		return got == want
	}
	switch t.Kind {
	case types.Float64:
		g, err1 := strconv.ParseFloat(got, 64)
		w, err2 := strconv.ParseFloat(want, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if g == w {
			return true
		}
		return math.Abs(g-w) <= FloatTolerance*math.Max(math.Abs(g), math.Abs(w))
	case types.Int64, types.Decimal:
		g, ok1 := new(big.Rat).SetString(got)
		w, ok2 := new(big.Rat).SetString(want)
		return ok1 && ok2 && g.Cmp(w) == 0
	}
	return got == want
}
