package engine

import (
	"fmt"
	"runtime/debug"

	"github.com/minisql/minisql/sqlerr"
)

// recoverPlanning turns a panic while binding, optimizing or building a
// plan into an internal error, so that a bug there fails the statement
// instead of the program embedding the engine (or the REPL, which would
// lose every table loaded). Planning starts no goroutine and holds no
// query resources until the plan is opened, so nothing is left behind.
// Execution has its own recovery, per operator (operators.Instrumented).
func recoverPlanning(err *error) {
	if r := recover(); r != nil {
		*err = &sqlerr.Error{Kind: sqlerr.ErrInternal, Pos: sqlerr.NoPos,
			Msg: fmt.Sprintf("panic while planning: %v\n%s", r, debug.Stack())}
	}
}
