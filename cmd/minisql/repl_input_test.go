package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		text string
		want inputState
	}{
		{"", inputEmpty},
		{"   ", inputEmpty},
		{";", inputEmpty},
		{"-- just a comment", inputEmpty},
		{"select 1", inputIncomplete},
		{"select 1;", inputComplete},
		{"select 1;  ", inputComplete},
		{"select 1\nfrom t\nwhere a = 1;", inputComplete},
		{"select 1; -- trailing comment", inputComplete},
		{"select 1; select 2", inputIncomplete},
		{"select 1; select 2;", inputComplete},
		// A ';' in a string, quoted identifier or comment ends nothing.
		{"select 'a;", inputIncomplete},
		{"select 'a;\nb';", inputComplete},
		{"select 'it''s;'", inputIncomplete},
		{`select "a;`, inputIncomplete},
		{"select `a;", inputIncomplete},
		{"select 1 -- no end;", inputIncomplete},
		{"select 1 # no end;", inputIncomplete},
		{"select 1 -- c\n;", inputComplete},
		{"select 1 /* open ;", inputIncomplete},
		{"select 1 /* closed; */", inputIncomplete},
		{"select 1 /* closed; */;", inputComplete},
		// Other lexical errors run once the line ends with ';' so that the
		// engine shows them with a caret.
		{"select $1", inputIncomplete},
		{"select $1;", inputComplete},
		{"select 1 :: bigint;", inputComplete},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classify(tt.text), "%q", tt.text)
	}
}

func TestStmtBufferPush(t *testing.T) {
	var b stmtBuffer
	_, ok := b.push("select a,")
	require.False(t, ok)
	require.False(t, b.empty())
	// A line starting with '.' inside a statement is SQL, not a command.
	_, ok = b.push("  .5 as half")
	require.False(t, ok)
	e, ok := b.push("from t;")
	require.True(t, ok)
	assert.Equal(t, entry{sql: "select a,\n  .5 as half\nfrom t;"}, e)
	assert.True(t, b.empty())

	e, ok = b.push("  .mode csv ")
	require.True(t, ok)
	assert.Equal(t, entry{meta: ".mode csv"}, e)
	e, ok = b.push(`\d lineitem`)
	require.True(t, ok)
	assert.Equal(t, entry{meta: `\d lineitem`}, e)

	// Blank and comment-only lines leave nothing pending.
	_, ok = b.push("")
	require.False(t, ok)
	_, ok = b.push("-- a note")
	require.False(t, ok)
	assert.True(t, b.empty())
}

func TestHistoryLine(t *testing.T) {
	tests := []struct {
		in   entry
		want string
	}{
		{entry{meta: ".mode csv"}, ".mode csv"},
		{entry{sql: "select 1;"}, "select 1;"},
		{entry{sql: "select a,\n    b\nfrom t;"}, "select a, b from t;"},
		{entry{sql: "select a -- the key\nfrom t;"}, "select a /* the key */ from t;"},
		{entry{sql: "select a # mysql style\nfrom t;"}, "select a /* mysql style */ from t;"},
		{entry{sql: "select '--not a comment'\nfrom t;"}, "select '--not a comment' from t;"},
		{entry{sql: "select 1 /* block */\n;"}, "select 1 /* block */ ;"},
		{entry{sql: "select a -- a */ b\nfrom t;"}, "select a from t;"},
	}
	for _, tt := range tests {
		got := historyLine(tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
		if tt.in.sql != "" {
			assert.Equal(t, inputComplete, classify(got), "recalled %q must still be complete", got)
		}
	}
}
