package sqllogictest

import (
	"os"
	"strings"
)

// Rewrite replaces the expected results of failed queries in a file with
// what minisql produced. It is for writing new tests; every rewritten
// result must be checked by a human (or another engine) before it is
// committed.
func Rewrite(path string, fails []Failure) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	lines := strings.Split(string(data), "\n")
	// Work from the bottom so earlier line numbers stay valid.
	for k := len(fails) - 1; k >= 0; k-- {
		f := fails[k]
		if f.Record.Kind != "query" || f.Record.Error || f.Got == nil {
			continue
		}
		i := f.Record.Line // first SQL line (0-based index of line after header)
		for i < len(lines) && strings.TrimSpace(lines[i]) != "" && lines[i] != "----" {
			i++
		}
		end := i
		if i < len(lines) && lines[i] == "----" {
			end = i + 1
			for end < len(lines) && lines[end] != "" {
				end++
			}
		}
		repl := append([]string{"----"}, f.Got...)
		lines = append(lines[:i], append(repl, lines[end:]...)...)
	}
	return os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
}
