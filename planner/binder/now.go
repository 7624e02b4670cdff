package binder

import (
	"slices"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// statementTime binds current_timestamp (now(), get_current_timestamp(),
// transaction_timestamp(), localtimestamp) and current_date (today()) to
// the statement's start time, a constant: every row and every place in
// the statement sees the same value, as DuckDB's transaction start time.
// minisql has no time zones: the TIMESTAMP is the UTC time and the DATE
// the UTC date (DuckDB's current_timestamp is a TIMESTAMP WITH TIME ZONE
// shown in the session's zone).
func (b *binder) statementTime(name string, args []expr.Expr) (expr.Expr, error) {
	if len(args) != 0 {
		return nil, sqlerr.New(sqlerr.ErrType, "%s takes no arguments", name)
	}
	us := b.now.UTC().UnixMicro()
	if name == "current_date" || name == "today" {
		days, _ := types.SplitTimestamp(us)
		return &expr.Literal{Value: expr.DateDatum(int32(days)), T: types.DateType}, nil
	}
	return &expr.Literal{Value: expr.TimestampDatum(us), T: types.TimestampType}, nil
}

// scalarNames are the scalar functions the binder rewrites itself rather
// than the registry's (see bindFunc).
var scalarNames = []string{
	"coalesce", "ifnull", "nullif", "if", "iif", "typeof", "mod",
	"current_date", "today", "current_timestamp", "now", "get_current_timestamp",
	"transaction_timestamp", "localtimestamp",
}

// ScalarNames lists the scalar functions the binder implements itself,
// sorted (for the shell's completion, with expr.FuncNames).
func ScalarNames() []string {
	out := append([]string(nil), scalarNames...)
	slices.Sort(out)
	return out
}
