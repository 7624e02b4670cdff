package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/peterh/liner"
)

// historyFile is the history's name in the home directory.
const historyFile = ".minisql_history"

// historyPath is ~/.minisql_history ($HOME first), or "" without a home.
func historyPath() string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return ""
	}
	return filepath.Join(home, historyFile)
}

// loadHistory reads the history file if there is one. A missing or
// unreadable file just means an empty history.
func loadHistory(ln *liner.State, path string) {
	if path == "" {
		return
	}
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	ln.ReadHistory(f) // keeps the lines read before any bad one
}

// saveHistory writes the history through a temporary file renamed into
// place, so a failed write never truncates the old history. Failing to
// save is a warning: it must not turn a clean exit into an error.
func saveHistory(ln *liner.State, path string, stderr io.Writer) {
	if path == "" {
		return
	}
	if err := writeHistory(ln, path); err != nil {
		fmt.Fprintf(stderr, "warning: history not saved: %v\n", err)
	}
}

func writeHistory(ln *liner.State, path string) error {
	f, err := os.CreateTemp(filepath.Dir(path), historyFile+".*")
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	tmp := f.Name()
	_, err = ln.WriteHistory(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
