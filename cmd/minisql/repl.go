package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/peterh/liner"
	"golang.org/x/term"

	"github.com/minisql/minisql/engine"
)

const (
	// replDefaultScale is the TPC-H scale factor the shell generates when
	// it is given no data: big enough for a query to take seconds.
	replDefaultScale = 0.1
	// replDefaultMaxRows is how many rows a table shows before it is cut.
	replDefaultMaxRows = 40

	promptMain = "minisql> "
	promptMore = "     ...> "

	// heavyQuery is the banner's suggestion of something to cancel: a
	// self-join on a low-cardinality key (about 360 million pairs at SF0.1).
	heavyQuery = "SELECT count(*) FROM lineitem a JOIN lineitem b ON a.l_suppkey = b.l_suppkey;"
)

// repl is the interactive shell's state.
type repl struct {
	eng    *engine.Engine
	sess   *engine.Session
	stdout io.Writer
	stderr io.Writer
	// errTTY says stderr is a terminal: only then is a progress bar drawn.
	errTTY bool
	// cols returns the terminal's width for the progress bar.
	cols func() int
	// sigs delivers SIGINT while no prompt is active (liner turns ISIG
	// off while it edits a line, so Ctrl-C there is a key, not a signal).
	sigs <-chan os.Signal

	mode    string
	maxRows int
	timer   bool
	// output receives query results after .output FILE; nil: stdout.
	output *os.File

	buf       stmtBuffer
	readDepth int
	quit      bool

	// progressDelay is how long a query runs before its bar appears.
	progressDelay time.Duration
}

// newREPL returns a shell over eng and sess writing to stdout and stderr.
func newREPL(eng *engine.Engine, sess *engine.Session, o *options, stdout, stderr io.Writer, sigs <-chan os.Signal) *repl {
	r := &repl{
		eng: eng, sess: sess, stdout: stdout, stderr: stderr, sigs: sigs,
		mode: "box", maxRows: replDefaultMaxRows, cols: func() int { return 80 },
		progressDelay: time.Second,
	}
	if o != nil && o.format != "" && o.format != "table" {
		r.mode = o.format
	}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		r.errTTY = true
		r.cols = func() int {
			if w, _, err := term.GetSize(fd); err == nil && w > 0 {
				return w
			}
			return 80
		}
	}
	return r
}

// runREPL runs the interactive shell until .quit or Ctrl-D. liner reads
// the terminal itself (standard input), so stdin is not used directly.
func runREPL(eng *engine.Engine, sess *engine.Session, o *options, stdin io.Reader, stdout, stderr io.Writer) int {
	// SIGINT is caught for the shell's whole life: a Ctrl-C while a query
	// runs cancels that query instead of killing the shell.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt)
	defer signal.Stop(sigs)
	r := newREPL(eng, sess, o, stdout, stderr, sigs)
	defer r.closeOutput()

	ln := liner.NewLiner()
	defer ln.Close()
	ln.SetCtrlCAborts(true)
	ln.SetMultiLineMode(true)
	ln.SetTabCompletionStyle(liner.TabPrints)
	ln.SetWordCompleter(func(line string, pos int) (string, []string, string) {
		return completeWord(engineCatalog{r.eng}, r.buf.text(), line, pos)
	})
	hist := historyPath()
	loadHistory(ln, hist)
	defer saveHistory(ln, hist, stderr)
	defer exitOnTermination(ln, hist, stderr)()

	r.banner()
	for !r.quit {
		prompt := promptMain
		if !r.buf.empty() {
			prompt = promptMore
		}
		line, err := ln.Prompt(prompt)
		switch {
		case errors.Is(err, liner.ErrPromptAborted):
			// Ctrl-C at the prompt: liner has cleared the line; drop a
			// half-typed statement too.
			r.buf.reset()
			continue
		case errors.Is(err, io.EOF):
			fmt.Fprintln(stdout)
			return exitOK
		case err != nil:
			fmt.Fprintln(stderr, "Error:", err)
			return exitError
		}
		e, ok := r.buf.push(line)
		if !ok {
			continue
		}
		ln.AppendHistory(historyLine(e))
		r.runInput(e)
	}
	return exitOK
}

// runInput runs one entry with Ctrl-C armed to cancel it.
func (r *repl) runInput(e entry) {
	in := r.watchInterrupts()
	defer in.stop()
	r.runEntry(in, e)
}

// runEntry runs a meta command or SQL. A panic is reported and survived:
// the shell must outlive any one statement.
func (r *repl) runEntry(in *interrupt, e entry) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(r.stderr, "Error: internal error: %v\n", v)
		}
	}()
	if e.meta != "" {
		r.runMeta(in, e.meta)
		return
	}
	r.runSQL(in, e.sql)
}

// banner prints how to get help and, with TPC-H loaded, a query that runs
// long enough to try Ctrl-C on.
func (r *repl) banner() {
	tables := r.eng.Tables()
	fmt.Fprintf(r.stdout, "minisql: %d tables. End statements with ';'. Type .help for help, Ctrl-D to exit.\n", len(tables))
	if _, err := r.eng.Table("lineitem"); err == nil {
		fmt.Fprintf(r.stdout, "Try Ctrl-C on: %s\n", heavyQuery)
	} else {
		fmt.Fprintln(r.stdout, "Type .tables to list the tables, .schema to see their columns.")
	}
}

// isTerminalWriter reports whether w is a terminal.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// exitOnTermination makes SIGTERM and SIGHUP restore the terminal (liner
// leaves it without echo between prompts) and save the history before the
// shell exits, as the signal's default action would have, with 128+signal.
// The returned function disarms it and joins its goroutine.
func exitOnTermination(ln *liner.State, hist string, stderr io.Writer) func() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGHUP)
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case sig := <-sigs:
			ln.Close()
			saveHistory(ln, hist, stderr)
			code := exitError
			if s, ok := sig.(syscall.Signal); ok {
				code = 128 + int(s)
			}
			os.Exit(code)
		case <-quit:
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(quit)
		wg.Wait()
	}
}
