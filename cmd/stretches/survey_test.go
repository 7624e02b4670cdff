package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/operators"
)

func stat(name string, onCPU, stretch time.Duration) engine.OperatorStat {
	return engine.OperatorStat{Name: name, Metrics: operators.Metrics{MaxOnCPU: onCPU, MaxStretch: stretch}}
}

func TestSurveyBounds(t *testing.T) {
	const us = time.Microsecond
	tests := []struct {
		name string
		runs [][]engine.OperatorStat
		want []opBound
	}{
		{
			name: "the least disturbed run bounds each operator",
			runs: [][]engine.OperatorStat{
				{stat("Scan", 300*us, 300*us), stat("Sort", 2000*us, 9000*us)},
				{stat("Scan", 1200*us, 4000*us), stat("Sort", 700*us, 700*us)},
				{stat("Scan", 250*us, 260*us), stat("Sort", 800*us, 900*us)},
			},
			want: []opBound{
				{query: "q", op: "Sort", bound: 700 * us, median: 800 * us, longest: 9000 * us},
				{query: "q", op: "Scan", bound: 250 * us, median: 300 * us, longest: 4000 * us},
			},
		},
		{
			name: "one run",
			runs: [][]engine.OperatorStat{{stat("Filter", 90*us, 120*us)}},
			want: []opBound{{query: "q", op: "Filter", bound: 90 * us, median: 90 * us, longest: 120 * us}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var s survey
			for _, r := range tc.runs {
				require.NoError(t, s.add("q", r))
			}
			assert.Equal(t, tc.want, s.bounds())
		})
	}
}

func TestSurveyRejectsAChangedPlan(t *testing.T) {
	var s survey
	require.NoError(t, s.add("q", []engine.OperatorStat{stat("Scan", 1, 1)}))
	assert.ErrorContains(t, s.add("q", []engine.OperatorStat{stat("Scan", 1, 1), stat("Filter", 1, 1)}), "plan changed")
	assert.ErrorContains(t, s.add("q", []engine.OperatorStat{stat("Sort", 1, 1)}), "plan changed")
	// A detail may hold the run's own figures: the operators still match.
	require.NoError(t, s.add("q", []engine.OperatorStat{{Name: "Scan", Detail: "busy 3ms"}}))
	// Another query starts its own operators.
	assert.NoError(t, s.add("q2", []engine.OperatorStat{stat("Sort", 1, 1)}))
}

func TestSurveyReport(t *testing.T) {
	var s survey
	require.NoError(t, s.add("q01", []engine.OperatorStat{stat("Scan", 400*time.Microsecond, 3*time.Millisecond)}))
	require.NoError(t, s.add("q01", []engine.OperatorStat{stat("Scan", 600*time.Microsecond, 600*time.Microsecond)}))

	var out strings.Builder
	assert.True(t, s.report(&out, 10, time.Millisecond), "a bound of 0.4 ms is under 1 ms")
	assert.Contains(t, out.String(), "the largest bound 0.40ms (q01 Scan); 0 bound at or over 1.00ms")
	assert.Contains(t, out.String(), "1 operator runs with a stretch of 1.00ms or more on the clock, the longest 3.00ms")

	out.Reset()
	assert.False(t, s.report(&out, 0, 300*time.Microsecond), "a bound of 0.4 ms reaches 0.3 ms")
	assert.Contains(t, out.String(), "(1 more operators)")
	assert.Contains(t, out.String(), "1 bound at or over 0.30ms")
}
