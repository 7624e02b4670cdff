package plan

import (
	"strings"

	"github.com/minisql/minisql/expr"
)

// Frame is a window call's frame: ROWS counts rows from the current one,
// RANGE measures the distance of the single order key's values (and takes
// the current row's peers for CURRENT ROW), GROUPS counts peer groups
// from the current row's.
type Frame struct {
	Range      bool
	Groups     bool
	Start, End FrameBound
}

// FrameBound is one end of a frame.
type FrameBound struct {
	// Kind is "unbounded preceding", "preceding", "current row",
	// "following" or "unbounded following".
	Kind string
	// Offset is the distance of "preceding" and "following": a BIGINT
	// number of rows for ROWS and of peer groups for GROUPS; for RANGE a
	// value of the order key's type (BIGINT days for a DATE key).
	Offset *expr.Literal
}

// String is the frame as SQL, as EXPLAIN shows it.
func (f *Frame) String() string {
	mode := "ROWS"
	switch {
	case f.Range:
		mode = "RANGE"
	case f.Groups:
		mode = "GROUPS"
	}
	return mode + " BETWEEN " + f.Start.String() + " AND " + f.End.String()
}

func (b FrameBound) String() string {
	if b.Offset == nil {
		return strings.ToUpper(b.Kind)
	}
	return b.Offset.String() + " " + strings.ToUpper(b.Kind)
}
