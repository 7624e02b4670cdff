package parse

import (
	"fmt"
	"strings"

	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// COPY t FROM 'file' [(FORMAT csv|parquet, HEADER b, DELIMITER 'c', QUOTE
// 'c', ESCAPE 'c', NULL 's')] appends a file's rows to a table, as DuckDB
// does. It is the statement
//
//	INSERT INTO t SELECT * FROM read_csv('file', all_varchar = true, ...)
//
// (read_parquet for Parquet, by FORMAT or by the file's extension): a CSV
// is read as text, so that INSERT's casts to the table's column types, by
// position, parse every value as its column's type. Errors point into
// that statement's text, which the message shows.

// copyFromOptions maps COPY's CSV options to read_csv's.
var copyFromOptions = map[string]string{
	"header": "header", "delimiter": "delim", "delim": "delim", "sep": "delim",
	"quote": "quote", "escape": "escape", "null": "nullstr", "nullstr": "nullstr",
}

func parseCopyFrom(text string, toks []token) (*Statement, error) {
	table := toks[1]
	if toks[3].typ != sqlparser.STRING {
		return nil, sqlerr.At(toks[3].start, sqlerr.ErrSyntax, "expected COPY table FROM 'file'")
	}
	path := toks[3].val
	format := ""
	if strings.HasSuffix(strings.ToLower(path), ".parquet") {
		format = "parquet"
	}
	var args []string
	i := 4
	if i < len(toks) && toks[i].is("with") {
		i++
	}
	if i < len(toks) && toks[i].isChar('(') {
		end := matching(toks, i)
		if end < 0 {
			return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "unclosed COPY options")
		}
		from := i + 1
		for _, stop := range append(commas(toks, from, end), end) {
			opt := toks[from:stop]
			if len(opt) == 0 {
				return nil, sqlerr.At(toks[stop].start, sqlerr.ErrSyntax, "an empty COPY option")
			}
			name := strings.ToLower(opt[0].val)
			value := "true" // HEADER alone
			if len(opt) == 2 {
				value = opt[1].raw
				if opt[1].typ != sqlparser.STRING {
					value = strings.ToLower(opt[1].val)
				}
			} else if len(opt) > 2 {
				return nil, sqlerr.At(opt[2].start, sqlerr.ErrSyntax, "COPY option %s takes one value", name)
			}
			switch {
			case name == "format":
				format = strings.ToLower(strings.Trim(value, "'"))
			case copyFromOptions[name] != "":
				args = append(args, fmt.Sprintf("%s = %s", copyFromOptions[name], value))
			default:
				return nil, sqlerr.At(opt[0].start, sqlerr.ErrNotSupported, "COPY FROM option %q", opt[0].val)
			}
			from = stop + 1
		}
		i = end + 1
	}
	if i < len(toks) {
		return nil, sqlerr.At(toks[i].start, sqlerr.ErrSyntax, "at or near %q", toks[i].raw)
	}
	quoted := "'" + strings.ReplaceAll(path, "'", "''") + "'"
	var source string
	switch format {
	case "parquet":
		if len(args) > 0 {
			return nil, sqlerr.At(toks[0].start, sqlerr.ErrNotSupported, "CSV options in a COPY FROM of Parquet")
		}
		source = "read_parquet(" + quoted + ")"
	case "", "csv":
		source = "read_csv(" + strings.Join(append([]string{quoted, "all_varchar = true"}, args...), ", ") + ")"
	default:
		return nil, sqlerr.At(toks[0].start, sqlerr.ErrNotSupported, "COPY FROM format %q (csv or parquet)", format)
	}
	insert := fmt.Sprintf("INSERT INTO %s SELECT * FROM %s", table.raw, source)
	return Parse(insert)
}
