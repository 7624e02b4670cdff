package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFailedQueryOutput: a query that fails before its first row prints
// only the error, in every format (CSV printed its header first); one that
// fails later prints the rows before the error, ending their line.
func TestFailedQueryOutput(t *testing.T) {
	for _, format := range []string{"table", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run([]string{"--format", format, "-c", "SELECT 1 / 0"}, strings.NewReader(""), &out, &errOut)
			require.Equal(t, exitError, code)
			require.Contains(t, errOut.String(), "division by zero")
			require.Empty(t, out.String())
		})
	}
	for _, format := range []string{"csv", "json"} {
		t.Run(format+" after rows", func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run([]string{"--format", format, "--threads", "1", "-c", "SELECT range, 100 DIV (range - 9000) FROM range(10000)"},
				strings.NewReader(""), &out, &errOut)
			require.Equal(t, exitError, code)
			require.Contains(t, errOut.String(), "division by zero")
			require.NotEmpty(t, out.String())
			require.True(t, strings.HasSuffix(out.String(), "\n"), "the rows end their line")
		})
	}
}
