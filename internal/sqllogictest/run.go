package sqllogictest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// Failure is a record whose outcome differed from the file.
type Failure struct {
	Record Record
	Msg    string
	Got    []string // actual result lines, for rewriting
}

func (f Failure) Error() string {
	return fmt.Sprintf("line %d: %s\n%s", f.Record.Line, f.Msg, f.Record.SQL)
}

// Run executes records in order on one engine and returns the failures.
func Run(ctx context.Context, eng *engine.Engine, recs []Record) []Failure {
	var fails []Failure
	for _, r := range recs {
		if r.Skip {
			continue
		}
		if f := runRecord(ctx, eng, r); f != nil {
			fails = append(fails, *f)
		}
	}
	return fails
}

func runRecord(ctx context.Context, eng *engine.Engine, r Record) *Failure {
	lines, colTypes, err := execute(ctx, eng, r.SQL)
	if r.Error {
		if err == nil {
			return &Failure{Record: r, Msg: "expected an error, got none"}
		}
		text := errorText(r.SQL, err)
		if r.ErrorRe != "" {
			re, rerr := regexp.Compile("(?i)" + r.ErrorRe)
			if rerr != nil {
				return &Failure{Record: r, Msg: fmt.Sprintf("bad error pattern: %v", rerr)}
			}
			if !re.MatchString(text) {
				return &Failure{Record: r, Msg: fmt.Sprintf("error %q does not match %q", text, r.ErrorRe)}
			}
		}
		return nil
	}
	if err != nil {
		return &Failure{Record: r, Msg: "unexpected error: " + errorText(r.SQL, err)}
	}
	if r.Kind == "statement" {
		return nil
	}
	if err := checkTypes(r.Types, colTypes); err != nil {
		return &Failure{Record: r, Msg: err.Error(), Got: lines}
	}
	got := sortLines(r.SortMode, lines)
	want := sortLines(r.SortMode, r.Expected)
	if msg := compareLines(got, want); msg != "" {
		return &Failure{Record: r, Msg: fmt.Sprintf("%s\ngot:\n%s\nwant:\n%s", msg, strings.Join(got, "\n"), strings.Join(want, "\n")), Got: lines}
	}
	return nil
}

// errorText is the message a pattern is matched against.
func errorText(sql string, err error) string {
	msg := err.Error()
	if p := sqlerr.Position(err); p >= 0 && p <= len(sql) {
		line := strings.Count(sql[:p], "\n") + 1
		col := p - strings.LastIndexByte(sql[:p], '\n')
		msg += fmt.Sprintf(" (line %d, column %d)", line, col)
	}
	return msg
}

// execute runs one statement and renders its rows.
func execute(ctx context.Context, eng *engine.Engine, sql string) ([]string, []types.T, error) {
	rows, err := eng.Query(ctx, sql)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	ts := make([]types.T, rows.Schema().NumFields())
	for i, f := range rows.Schema().Fields() {
		ts[i] = types.MustFromArrow(f.Type)
	}
	var lines []string
	for rows.Next() {
		lines = append(lines, formatRecord(rows.Record(), ts)...)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if err := rows.Close(); err != nil && !errors.Is(err, context.Canceled) {
		return nil, nil, err
	}
	return lines, ts, nil
}

func formatRecord(rec arrow.Record, ts []types.T) []string {
	out := make([]string, rec.NumRows())
	vals := make([]string, rec.NumCols())
	for i := range out {
		for c := range vals {
			d := expr.DatumAt(rec.Column(c), ts[c], i)
			switch {
			case !d.Valid:
				vals[c] = "NULL"
			case ts[c].Kind == types.String && d.S == "":
				vals[c] = "(empty)"
			default:
				vals[c] = d.Text(ts[c])
			}
		}
		out[i] = strings.Join(vals, "\t")
	}
	return out
}

var typeLetters = map[types.Kind]byte{
	types.Int64: 'I', types.Float64: 'R', types.Decimal: 'N', types.String: 'T', types.Date: 'D', types.Bool: 'B',
	types.Timestamp: 'S',
}

func checkTypes(want string, got []types.T) error {
	if len(want) != len(got) {
		return fmt.Errorf("query has %d columns, type string %q has %d", len(got), want, len(want))
	}
	for i, t := range got {
		if want[i] == '?' || t.Kind == types.Null {
			continue
		}
		if typeLetters[t.Kind] != want[i] {
			return fmt.Errorf("column %d is %s, type string says %c", i+1, t, want[i])
		}
	}
	return nil
}

func sortLines(mode string, lines []string) []string {
	out := append([]string(nil), lines...)
	switch mode {
	case "rowsort":
		sort.Strings(out)
	case "valuesort":
		var vals []string
		for _, l := range out {
			vals = append(vals, strings.Split(l, "\t")...)
		}
		sort.Strings(vals)
		out = vals
	}
	return out
}

// compareLines compares results, allowing doubles to differ in the last
// digits (relative 1e-9).
func compareLines(got, want []string) string {
	if len(got) != len(want) {
		return fmt.Sprintf("got %d result lines, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] == want[i] {
			continue
		}
		g, w := strings.Split(got[i], "\t"), strings.Split(want[i], "\t")
		if len(g) != len(w) {
			return fmt.Sprintf("line %d: got %d values, want %d", i+1, len(g), len(w))
		}
		for k := range w {
			if g[k] != w[k] && !closeFloats(g[k], w[k]) {
				return fmt.Sprintf("line %d value %d: got %q, want %q", i+1, k+1, g[k], w[k])
			}
		}
	}
	return ""
}

func closeFloats(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil || !strings.ContainsAny(a+b, ".e") {
		return false
	}
	return math.Abs(x-y) <= 1e-9*math.Max(math.Abs(x), math.Abs(y))
}
