package binder_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/expr"
	"github.com/minisql/minisql/planner/binder"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/types"
)

// current_timestamp and current_date are the time the caller says the
// statement started, in UTC, as constants.
func TestStatementTime(t *testing.T) {
	// 2024-03-01 01:30 in UTC+3 is 2024-02-29 22:30 UTC.
	start := time.Date(2024, 3, 1, 1, 30, 0, 123456000, time.FixedZone("x", 3*3600))
	st, err := parse.Parse("SELECT now(), current_timestamp, current_date, today(), localtimestamp")
	require.NoError(t, err)
	bound, err := binder.BindAt(nil, st, start)
	require.NoError(t, err)
	var p *plan.Project
	for n := bound.(*binder.Query).Plan; p == nil; n = n.Inputs()[0] {
		p, _ = n.(*plan.Project)
	}
	us := time.Date(2024, 2, 29, 22, 30, 0, 123456000, time.UTC).UnixMicro()
	day := types.DaysFromCivil(2024, 2, 29)
	want := []expr.Expr{
		&expr.Literal{Value: expr.TimestampDatum(us), T: types.TimestampType},
		&expr.Literal{Value: expr.TimestampDatum(us), T: types.TimestampType},
		&expr.Literal{Value: expr.DateDatum(day), T: types.DateType},
		&expr.Literal{Value: expr.DateDatum(day), T: types.DateType},
		&expr.Literal{Value: expr.TimestampDatum(us), T: types.TimestampType},
	}
	require.Equal(t, want, p.Exprs)
}
