package parse

import (
	"strings"

	"github.com/xwb1989/sqlparser"
)

// IntervalTextUnit is the unit the pre-lexer gives an INTERVAL whose units
// are inside its text (INTERVAL '1 day 2 hours').
const IntervalTextUnit = "__msq_text_unit"

// isIntervalUnit reports whether t is a unit word after INTERVAL 'n'
// (singular or plural), as DuckDB spells them.
func isIntervalUnit(t token) bool {
	if t.typ == sqlparser.STRING || t.val == "" {
		return false
	}
	switch strings.TrimSuffix(strings.ToLower(t.val), "s") {
	case "microsecond", "millisecond", "second", "minute", "hour", "day", "week", "month", "quarter", "year":
		return true
	}
	return false
}
