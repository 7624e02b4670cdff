package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Generous bounds: the machine is shared and the binary may be built with
// the race detector. No test asserts on how fast anything is.
const (
	shellTimeout = 90 * time.Second
	repoRoot     = "../.."
	sf001        = "testdata/tpch/sf0.01" // relative to repoRoot
)

// shell is the minisql binary running on a pseudo-terminal.
type shell struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	read chan struct{} // closed when the reader goroutine has exited

	mu     sync.Mutex
	out    bytes.Buffer // everything the shell wrote to the terminal
	mark   int          // where the next expect starts looking
	exited chan struct{}
	err    error // the process's exit error, once exited is closed
}

// startShell starts the binary in the repository root with HOME set to
// home, on a 50x1000 terminal (wide, so that liner never wraps a line). Cleanup kills it if a test did not end it.
func startShell(t *testing.T, home string, args ...string) *shell {
	t.Helper()
	require.NoError(t, testBinaryErr)
	cmd := exec.Command(testBinary, args...)
	cmd.Dir = repoRoot
	cmd.Env = append(filteredEnv("HOME", "TERM"), "HOME="+home, "TERM=xterm")
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 1000})
	require.NoError(t, err)
	s := &shell{t: t, cmd: cmd, tty: tty, read: make(chan struct{}), exited: make(chan struct{})}
	go func() {
		defer close(s.read)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			s.mu.Lock()
			s.out.Write(buf[:n])
			s.mu.Unlock()
			if err != nil {
				return // EIO once the child has exited and closed its end
			}
		}
	}()
	go func() {
		err := cmd.Wait()
		s.mu.Lock()
		s.err = err
		s.mu.Unlock()
		close(s.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-s.exited:
		default:
			cmd.Process.Kill()
			<-s.exited
		}
		tty.Close()
		<-s.read
	})
	return s
}

// filteredEnv is the environment without the named variables.
func filteredEnv(drop ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !contains(drop, name) {
			env = append(env, kv)
		}
	}
	return env
}

// send types text.
func (s *shell) send(text string) {
	s.t.Helper()
	_, err := s.tty.Write([]byte(text))
	require.NoError(s.t, err)
}

// line types text and Enter.
func (s *shell) line(text string) { s.send(text + "\r") }

// expect waits until the output after the mark matches re, moves the mark
// past the match and returns the output from the old mark to the match's
// end.
func (s *shell) expect(re string) string {
	s.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.Now().Add(shellTimeout)
	for {
		s.mu.Lock()
		all := s.out.String()
		from := s.mark
		if loc := rx.FindStringIndex(all[from:]); loc != nil {
			s.mark = from + loc[1]
			s.mu.Unlock()
			return all[from : from+loc[1]]
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			s.t.Fatalf("no %q within %s; output since the last match:\n%s", re, shellTimeout, visible(all[from:]))
		}
		select {
		case <-s.exited:
			// One last look: the output may have arrived with the exit.
			time.Sleep(100 * time.Millisecond)
			s.mu.Lock()
			done := rx.MatchString(s.out.String()[from:])
			s.mu.Unlock()
			if !done {
				s.t.Fatalf("shell exited (%v) before %q; output:\n%s", s.err, re, visible(all[from:]))
			}
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// prompt waits for the main prompt.
func (s *shell) prompt() string { return s.expect(regexp.QuoteMeta(promptMain)) }

// typed types text without Enter and waits for its echo: once liner
// echoes, it is reading keys with ISIG off, so a Ctrl-C sent then is a
// key for the line editor, not a signal.
func (s *shell) typed(text string) {
	s.send(text)
	s.expect(regexp.QuoteMeta(text))
}

// run types a statement and returns its output up to the next prompt,
// without terminal controls.
func (s *shell) run(stmt string) string {
	s.t.Helper()
	s.line(stmt)
	// The terminal is too wide for an echoed line to wrap, so the echo of
	// each line ends with the newline liner prints for Enter; a prompt
	// after that is the next one.
	for range strings.Count(stmt, "\n") + 1 {
		s.expect(`\n`)
	}
	return strings.TrimSuffix(visible(s.prompt()), promptMain)
}

// wait waits for the shell to exit and returns its exit code.
func (s *shell) wait() int {
	s.t.Helper()
	select {
	case <-s.exited:
	case <-time.After(shellTimeout):
		s.t.Fatalf("shell did not exit; output:\n%s", visible(s.out.String()))
	}
	var ee *exec.ExitError
	if errors.As(s.err, &ee) {
		return ee.ExitCode()
	}
	require.NoError(s.t, s.err)
	return 0
}

// ansi matches the terminal control sequences liner and the progress bar
// write.
var ansi = regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]`)

// visible is terminal output as a person reads it: no control sequences,
// no carriage returns.
func visible(s string) string {
	return strings.ReplaceAll(ansi.ReplaceAllString(s, ""), "\r", "")
}

// startSF001 starts the shell on the bundled SF0.01 tables and waits for
// the first prompt.
func startSF001(t *testing.T, home string) *shell {
	s := startShell(t, home, "--data", sf001)
	s.expect(`Type \.help for help`)
	s.prompt()
	return s
}

// TestShellCtrlCCancelsQuery is hazard 20 on a real terminal: a Ctrl-C
// key while a query runs cancels it, prints how fast it stopped and no
// rows, erases the progress bar, and the shell takes the next query.
func TestShellCtrlCCancelsQuery(t *testing.T) {
	s := startSF001(t, t.TempDir())
	s.line(heavyTestQuery)
	// The progress bar appears on a query running over a second; it also
	// tells us the query runs (and the terminal sends SIGINT again).
	bar := s.expect(`\] +\d+%  [\d.]+[KMG]?/[\d.]+[KMG]? rows  [\d.]+[KMG]? rows/s  [\d.]+ s`)
	require.NotEmpty(t, bar)
	s.send("\x03")
	out := s.expect(`Cancelled after \d+\.\d{3} s; stopped [\d.]+ m?s after Ctrl-C \(\d+ operators?, \d+ workers? joined\)\r?\n`)
	assert.Contains(t, out, "\r\x1b[K", "the progress bar is erased")
	assert.NotContains(t, visible(out), "count(*) │", "no rows after Ctrl-C")
	after := s.prompt()
	assert.NotContains(t, visible(after), "│", "no rows after Ctrl-C")

	got := s.run("SELECT count(*) AS n FROM nation;")
	assert.Contains(t, got, "│ 25 │")
	assert.NotContains(t, got, "rows/s", "no progress bar on a fast query")

	s.send("\x04")
	assert.Equal(t, 0, s.wait())
}

// TestShellCtrlCAtPrompt: Ctrl-C at the prompt clears the line (and a
// half-typed statement) and the shell stays up.
func TestShellCtrlCAtPrompt(t *testing.T) {
	s := startSF001(t, t.TempDir())
	s.typed("SELECT 'this line is dropped'")
	s.send("\x03")
	s.prompt()
	got := s.run("SELECT 42 AS answer;")
	assert.Contains(t, got, "│     42 │")
	assert.NotContains(t, got, "dropped")

	s.line("SELECT 1 AS one,")
	s.expect(regexp.QuoteMeta(promptMore))
	s.typed("2 AS two")
	s.send("\x03")
	s.prompt()
	got = s.run("SELECT 43 AS fresh;")
	assert.Contains(t, got, "│    43 │", "the pending statement was dropped too")
	assert.NotContains(t, got, "Error")

	s.line(".quit")
	assert.Equal(t, 0, s.wait())
}

// TestShellCtrlDExits: Ctrl-D at an empty prompt exits with status 0.
func TestShellCtrlDExits(t *testing.T) {
	s := startSF001(t, t.TempDir())
	s.send("\x04")
	assert.Equal(t, 0, s.wait())
}

// TestShellHistory: statements are saved in $HOME/.minisql_history on
// exit and recalled with the up arrow in the next session; a history that
// cannot be written is only a warning.
func TestShellHistory(t *testing.T) {
	home := t.TempDir()
	s := startSF001(t, home)
	s.run("SELECT 7 AS seven,\n  8 AS eight;")
	s.line(`\q`)
	assert.Equal(t, 0, s.wait())
	hist, err := os.ReadFile(filepath.Join(home, historyFile))
	require.NoError(t, err)
	assert.Equal(t, "SELECT 7 AS seven, 8 AS eight;\n\\q\n", string(hist), "one line per statement")

	s = startSF001(t, home)
	s.send("\x1b[A\x1b[A") // up twice: past \q to the SELECT
	s.expect(regexp.QuoteMeta("SELECT 7 AS seven, 8 AS eight;"))
	s.send("\r")
	s.expect(`│     7 │     8 │`)
	s.prompt()
	s.send("\x04")
	assert.Equal(t, 0, s.wait())

	s = startSF001(t, filepath.Join(home, "does", "not", "exist"))
	s.run("SELECT 1 AS x;")
	s.send("\x04")
	s.expect("warning: history not saved")
	assert.Equal(t, 0, s.wait(), "an unwritable history does not fail the shell")
}

// TestShellTerminated: SIGTERM at the prompt restores the terminal, saves
// the history and exits with 128+15, as the signal would have.
func TestShellTerminated(t *testing.T) {
	home := t.TempDir()
	s := startSF001(t, home)
	s.run("SELECT 5 AS five;")
	require.NoError(t, s.cmd.Process.Signal(syscall.SIGTERM))
	assert.Equal(t, 143, s.wait())
	hist, err := os.ReadFile(filepath.Join(home, historyFile))
	require.NoError(t, err)
	assert.Equal(t, "SELECT 5 AS five;\n", string(hist))
}

// TestShellError: an error prints the message, the line and a caret.
func TestShellError(t *testing.T) {
	s := startSF001(t, t.TempDir())
	got := s.run("SELECT n_name FROM nation WHERE n_nationkey = 1 ORDR BY 1;")
	lines := strings.Split(got, "\n")
	require.GreaterOrEqual(t, len(lines), 3, got)
	assert.True(t, strings.HasPrefix(lines[0], "Error: "), got)
	require.True(t, strings.HasPrefix(lines[1], "LINE 1: "), got)
	caret := strings.Index(lines[2], "^")
	assert.Equal(t, strings.Index(lines[1], "ORDR"), caret, "the caret is under the offending word:\n%s", got)
	assert.Contains(t, s.run("SELECT 'still alive' AS s;"), "still alive")
	s.send("\x04")
	assert.Equal(t, 0, s.wait())
}

// TestShellDefaultData starts the shell with no --data: it opens the
// built-in TPC-H database at scale factor 0.1 (generated by --tpch).
func TestShellDefaultData(t *testing.T) {
	s := startShell(t, t.TempDir())
	s.expect(`Type \.help for help`)
	s.expect(regexp.QuoteMeta("Try Ctrl-C on: " + heavyQuery))
	s.prompt()
	assert.Contains(t, s.run("SELECT count(*) AS n FROM nation;"), "│ 25 │")
	assert.Contains(t, s.run("SELECT count(*) AS n FROM supplier;"), "│ 1000 │", "scale factor 0.1")
	s.send("\x04")
	assert.Equal(t, 0, s.wait())
}
