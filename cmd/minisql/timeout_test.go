package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTimeoutFlag: --timeout stops a long query with the statement-timeout
// error and exit status 1.
func TestTimeoutFlag(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"--timeout", "50ms", "-c", "SELECT sum(range) FROM range(9223372036854775807)"}, strings.NewReader(""), &out, &errOut)
	require.Equal(t, exitError, code)
	require.Contains(t, errOut.String(), "canceled: statement timeout (50ms) exceeded")
	require.Empty(t, out.String())
}

// TestTimeoutSetting: SET statement_timeout = '5s' (and 0 to turn it off).
func TestTimeoutSetting(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"--format", "csv", "-c", "SET statement_timeout = '30ms'; SET statement_timeout = 0; SELECT count(*) FROM range(3000000)"},
		strings.NewReader(""), &out, &errOut)
	require.Equal(t, exitOK, code, errOut.String())
	require.Equal(t, "count(*)\n3000000\n", out.String())
	code = run([]string{"-c", "SET statement_timeout = 'soon'"}, strings.NewReader(""), &out, &errOut)
	require.Equal(t, exitError, code)
	require.Contains(t, errOut.String(), "invalid setting: statement_timeout")
}
