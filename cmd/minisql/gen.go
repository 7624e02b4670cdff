package main

import (
	"fmt"
	"io"
)

func runGen(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "Error: minisql gen is not wired in yet")
	return exitError
}
