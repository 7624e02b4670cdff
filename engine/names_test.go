package engine_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
)

// TestUnaliasedColumnNames: a result column without an alias is named by
// its expression as the user wrote it; the SQL the pre-lexer hands
// sqlparser (__cast, __substring, extract('year', ...)) never shows.
func TestUnaliasedColumnNames(t *testing.T) {
	e := engine.Open()
	defer e.Close()
	for _, tc := range []struct {
		sql  string
		want []string
	}{
		{"SELECT CAST('2020-01-01' AS DATE) + INTERVAL 1 DAY", []string{"cast('2020-01-01' as DATE) + interval 1 DAY"}},
		{"SELECT DATE '2020-01-01', SUBSTRING('hello' FROM 2 FOR 3)", []string{"cast('2020-01-01' as DATE)", "substring('hello', 2, 3)"}},
		{"SELECT EXTRACT(YEAR FROM DATE '2020-03-01')", []string{"extract(year from cast('2020-03-01' as DATE))"}},
		{"SELECT sum(CAST(range AS DOUBLE)), count(*) FROM range(3)", []string{"sum(cast(`range` as DOUBLE))", "count(*)"}},
		{"SELECT CAST(range AS VARCHAR) AS s FROM range(1)", []string{"s"}},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			rows, err := e.Query(context.Background(), tc.sql)
			require.NoError(t, err)
			defer rows.Close()
			var got []string
			for _, f := range rows.Schema().Fields() {
				got = append(got, f.Name)
			}
			assert.Equal(t, tc.want, got)
			for rows.Next() {
			}
			require.NoError(t, rows.Err())
		})
	}
}
