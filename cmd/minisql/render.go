package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/sources/csvsrc"
	"github.com/minisql/minisql/types"
)

// renderOptions tune table output.
type renderOptions struct {
	// maxRows limits the rows a table shows (0: all); the rest are counted.
	maxRows int
	// style is a go-pretty table style; nil for the default box style.
	style *table.Style
	// markdown renders a GitHub-flavoured Markdown table instead.
	markdown bool
}

// render prints a result in the given format.
func render(ctx context.Context, rows *engine.Rows, format string, out io.Writer, o renderOptions) error {
	if rows.Schema().NumFields() == 0 {
		for rows.Next() {
		}
		return rows.Err()
	}
	switch format {
	case "csv":
		return renderCSV(ctx, rows, out)
	case "json":
		return renderJSON(rows, out)
	}
	return renderTable(rows, out, o)
}

// cellText is a value as the table and JSON show it; NULL is "NULL".
func cellText(a arrow.Array, t types.T, i int) string {
	d := expr.DatumAt(a, t, i)
	if !d.Valid {
		return "NULL"
	}
	return d.Text(t)
}

func renderTable(rows *engine.Rows, out io.Writer, o renderOptions) error {
	schema := rows.Schema()
	ts := schemaTypes(schema)
	tw := table.NewWriter()
	tw.SetOutputMirror(out)
	if o.style != nil {
		tw.SetStyle(*o.style)
	} else {
		tw.SetStyle(table.StyleLight)
	}
	header := make(table.Row, len(ts))
	var cfg []table.ColumnConfig
	for i, f := range schema.Fields() {
		header[i] = f.Name
		if ts[i].IsNumeric() {
			cfg = append(cfg, table.ColumnConfig{Number: i + 1, Align: text.AlignRight, AlignHeader: text.AlignRight})
		}
	}
	tw.AppendHeader(header, table.RowConfig{AutoMerge: false})
	tw.SetColumnConfigs(cfg)
	tw.Style().Format.Header = text.FormatDefault
	total, shown := 0, 0
	for rows.Next() {
		rec := rows.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			total++
			if o.maxRows > 0 && shown >= o.maxRows {
				continue
			}
			row := make(table.Row, rec.NumCols())
			for c := range row {
				row[c] = cellText(rec.Column(c), ts[c], i)
			}
			tw.AppendRow(row)
			shown++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if o.markdown {
		tw.RenderMarkdown()
	} else {
		tw.Render()
	}
	// A cut table says so below it rather than in a footer, which would
	// widen its first column to fit the note.
	if total > shown {
		fmt.Fprintf(out, "(%d rows, %d shown)\n", total, shown)
	} else if total != 1 {
		fmt.Fprintf(out, "(%d rows)\n", total)
	}
	return nil
}

func schemaTypes(s *arrow.Schema) []types.T {
	ts := make([]types.T, s.NumFields())
	for i, f := range s.Fields() {
		ts[i] = types.MustFromArrow(f.Type)
	}
	return ts
}

func renderCSV(ctx context.Context, rows *engine.Rows, out io.Writer) error {
	w, err := csvsrc.NewWriter(out, rows.Schema(), csvsrc.WriterOptions{})
	if err != nil {
		return err
	}
	wrote := false
	for rows.Next() {
		if err := w.Write(ctx, rows.Record()); err != nil {
			return err
		}
		wrote = true
	}
	if err := rows.Err(); err != nil {
		if wrote { // the rows before the error; a query that failed at once prints only the error
			w.Flush()
		}
		return err
	}
	return w.Flush()
}

// renderJSON writes an array of objects, one per row: numbers as JSON
// numbers (decimals exactly), dates as strings, NULL as null.
func renderJSON(rows *engine.Rows, out io.Writer) error {
	schema := rows.Schema()
	ts := schemaTypes(schema)
	keys := make([][]byte, len(ts))
	for i, f := range schema.Fields() {
		keys[i], _ = json.Marshal(f.Name)
	}
	buf := []byte("[")
	first := true
	for rows.Next() {
		rec := rows.Record()
		for i := 0; i < int(rec.NumRows()); i++ {
			if !first {
				buf = append(buf, ',')
			}
			first = false
			buf = append(buf, "\n  {"...)
			for c := range ts {
				if c > 0 {
					buf = append(buf, ", "...)
				}
				buf = append(buf, keys[c]...)
				buf = append(buf, ": "...)
				buf = appendJSONValue(buf, rec.Column(c), ts[c], i)
			}
			buf = append(buf, '}')
		}
		if _, err := out.Write(buf); err != nil {
			return err
		}
		buf = buf[:0]
	}
	if err := rows.Err(); err != nil {
		if !first {
			out.Write([]byte("\n")) // end the rows before the error, so that it starts a line
		}
		return err
	}
	if first {
		buf = append(buf, "]\n"...)
	} else {
		buf = append(buf, "\n]\n"...)
	}
	_, err := out.Write(buf)
	return err
}

func appendJSONValue(buf []byte, a arrow.Array, t types.T, i int) []byte {
	if a.IsNull(i) {
		return append(buf, "null"...)
	}
	switch t.Kind {
	case types.Int64, types.Decimal, types.Bool:
		return append(buf, expr.DatumAt(a, t, i).Text(t)...)
	case types.Float64:
		f := a.(*array.Float64).Value(i)
		s := expr.FormatFloat(f)
		if _, err := strconv.ParseFloat(s, 64); err != nil || s == "nan" || s == "inf" || s == "-inf" {
			return strconv.AppendQuote(buf, s)
		}
		return append(buf, s...)
	}
	b, _ := json.Marshal(expr.DatumAt(a, t, i).Text(t))
	return append(buf, b...)
}
