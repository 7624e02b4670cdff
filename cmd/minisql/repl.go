package main

import (
	"fmt"
	"io"

	"github.com/minisql/minisql/engine"
)

func runREPL(eng *engine.Engine, sess *engine.Session, o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "Error: the interactive shell is not built yet; use -c, -f or a pipe")
	return exitError
}
