package types

import (
	"fmt"
	"strconv"
	"strings"
)

// Parse reads a SQL type name such as "BIGINT", "decimal(15, 2)" or
// "VARCHAR(25)". Length arguments of character types are accepted and
// ignored: strings are unbounded, as in DuckDB.
func Parse(name string) (T, error) {
	base, args, err := splitTypeName(name)
	if err != nil {
		return T{}, err
	}
	switch base {
	case "BIGINT", "INT", "INTEGER", "INT8", "INT4", "INT2", "SMALLINT", "TINYINT",
		"MEDIUMINT", "SIGNED", "SIGNED INTEGER", "LONG", "HUGEINT", "UBIGINT", "UINTEGER":
		return Int64Type, noArgs(base, args)
	case "DOUBLE", "FLOAT", "REAL", "FLOAT8", "FLOAT4", "DOUBLE PRECISION":
		return Float64Type, nil // MySQL's FLOAT(p) length is accepted and ignored
	case "DECIMAL", "NUMERIC", "DEC":
		switch len(args) {
		case 0:
			return NewDecimal(18, 3) // DuckDB's default
		case 1:
			return NewDecimal(args[0], 0)
		case 2:
			return NewDecimal(args[0], args[1])
		}
		return T{}, fmt.Errorf("type %s takes at most two arguments", base)
	case "VARCHAR", "CHAR", "TEXT", "STRING", "CHARACTER", "CHARACTER VARYING", "NCHAR",
		"NVARCHAR", "TINYTEXT", "MEDIUMTEXT", "LONGTEXT", "BPCHAR":
		return StringType, nil
	case "DATE":
		return DateType, noArgs(base, args)
	case "TIMESTAMP", "DATETIME", "TIMESTAMP WITHOUT TIME ZONE":
		return TimestampType, nil // a precision argument is accepted: values are microseconds
	case "BOOLEAN", "BOOL", "BIT", "LOGICAL":
		return BoolType, nil
	}
	return T{}, fmt.Errorf("unknown type %q", strings.TrimSpace(name))
}

func noArgs(base string, args []int) error {
	if len(args) > 0 {
		return fmt.Errorf("type %s takes no arguments", base)
	}
	return nil
}

// splitTypeName splits "decimal ( 15 , 2 )" into "DECIMAL" and [15 2].
func splitTypeName(name string) (string, []int, error) {
	name = strings.TrimSpace(name)
	base, rest, hasArgs := strings.Cut(name, "(")
	base = strings.ToUpper(strings.Join(strings.Fields(base), " "))
	if base == "" {
		return "", nil, fmt.Errorf("missing type name")
	}
	if !hasArgs {
		return base, nil, nil
	}
	rest = strings.TrimSpace(rest)
	if !strings.HasSuffix(rest, ")") {
		return "", nil, fmt.Errorf("type %q: missing ')'", name)
	}
	var args []int
	for _, a := range strings.Split(strings.TrimSuffix(rest, ")"), ",") {
		n, err := strconv.Atoi(strings.TrimSpace(a))
		if err != nil || n < 0 {
			return "", nil, fmt.Errorf("type %q: bad argument %q", name, strings.TrimSpace(a))
		}
		args = append(args, n)
	}
	return base, args, nil
}
