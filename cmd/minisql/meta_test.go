package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMeta(t *testing.T) {
	tests := []struct {
		line string
		want metaCmd
		err  string
	}{
		{line: ".help", want: metaCmd{name: "help"}},
		{line: " .HELP ", want: metaCmd{name: "help"}},
		{line: ".tables;", want: metaCmd{name: "tables"}},
		{line: `\d`, want: metaCmd{name: "tables"}},
		{line: `\d lineitem`, want: metaCmd{name: "schema", arg: "lineitem"}},
		{line: ".schema", want: metaCmd{name: "schema"}},
		{line: ".schema\tnation", want: metaCmd{name: "schema", arg: "nation"}},
		{line: ".mode CSV", want: metaCmd{name: "mode", arg: "csv"}},
		{line: ".mode", want: metaCmd{name: "mode"}},
		{line: ".mode xml", err: `.mode: expected box, table, csv, json, markdown, got "xml"`},
		{line: ".maxrows 10", want: metaCmd{name: "maxrows", arg: "10"}},
		{line: ".maxrows 0", want: metaCmd{name: "maxrows", arg: "0"}},
		{line: ".maxrows -1", err: ".maxrows: expected a number of rows"},
		{line: ".timer on", want: metaCmd{name: "timer", arg: "on"}},
		{line: ".timer maybe", err: ".timer: expected on, off"},
		{line: ".threads 2", want: metaCmd{name: "threads", arg: "2"}},
		{line: ".threads 0", err: ".threads: expected a positive number"},
		{line: ".timeout 5s", want: metaCmd{name: "timeout", arg: "5s"}},
		{line: ".timeout 250", want: metaCmd{name: "timeout", arg: "250"}},
		{line: ".timeout soon", err: ".timeout: expected a duration"},
		{line: ".read", err: "usage: .read FILE"},
		{line: ".read 'my file.sql'", want: metaCmd{name: "read", arg: "my file.sql"}},
		{line: ".open testdata/tpch/sf0.01", want: metaCmd{name: "open", arg: "testdata/tpch/sf0.01"}},
		{line: ".quit", want: metaCmd{name: "quit"}},
		{line: ".exit", want: metaCmd{name: "quit"}},
		{line: `\q`, want: metaCmd{name: "quit"}},
		{line: ".quit now", err: "takes no argument"},
		{line: ".help me", err: ".help takes no argument"},
		{line: ".frobnicate", err: "unknown command .frobnicate (try .help)"},
		{line: `\x`, err: `unknown command \x`},
	}
	for _, tt := range tests {
		got, err := parseMeta(tt.line)
		if tt.err != "" {
			require.Error(t, err, tt.line)
			assert.Contains(t, err.Error(), tt.err, tt.line)
			continue
		}
		require.NoError(t, err, tt.line)
		assert.Equal(t, tt.want, got, tt.line)
	}
}

func TestMetaHelpListsEveryCommand(t *testing.T) {
	help := metaHelp()
	for _, s := range metaSpecs {
		assert.Contains(t, help, "."+s.name)
	}
}
