package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"
)

// testBinary is the minisql binary TestMain builds for the end-to-end
// tests; "" when the build failed (those tests then fail, saying why).
var testBinary string

// testBinaryErr says why the binary could not be built.
var testBinaryErr error

// TestMain builds the binary once for the tests that drive it through a
// pseudo-terminal, and checks that no test leaves a goroutine behind.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "minisql-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "temp dir:", err)
		os.Exit(1)
	}
	testBinary, testBinaryErr = buildBinary(dir)
	goleak.VerifyTestMain(m, goleak.Cleanup(func(code int) {
		os.RemoveAll(dir)
		os.Exit(code)
	}))
}

// buildBinary builds this package into dir, with the race detector when
// the tests run with it, so that the shell's own goroutines are checked.
func buildBinary(dir string) (string, error) {
	bin := filepath.Join(dir, "minisql")
	args := []string{"build", "-o", bin}
	if raceEnabled {
		args = append(args, "-race")
	}
	cmd := exec.Command("go", append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %w\n%s", err, out)
	}
	return bin, nil
}
