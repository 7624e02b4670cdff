package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/minisql/minisql/types"
)

// maxReadDepth bounds .read inside .read, so a file that reads itself
// ends with an error instead of a stack overflow.
const maxReadDepth = 16

// runMeta runs a shell command.
func (r *repl) runMeta(in *interrupt, line string) {
	cmd, err := parseMeta(line)
	if err != nil {
		fmt.Fprintln(r.stderr, "Error:", err)
		return
	}
	if err := r.execMeta(in, cmd); err != nil {
		fmt.Fprintln(r.stderr, "Error:", err)
	}
}

func (r *repl) execMeta(in *interrupt, cmd metaCmd) error {
	switch cmd.name {
	case "help":
		fmt.Fprint(r.stdout, metaHelp())
	case "quit":
		r.quit = true
	case "tables":
		for _, name := range r.eng.Tables() {
			fmt.Fprintln(r.stdout, name)
		}
	case "schema":
		return r.printSchema(cmd.arg)
	case "mode":
		if cmd.arg == "" {
			fmt.Fprintln(r.stdout, r.mode)
			return nil
		}
		r.mode = cmd.arg
	case "maxrows":
		if cmd.arg == "" {
			fmt.Fprintln(r.stdout, r.maxRows)
			return nil
		}
		r.maxRows, _ = strconv.Atoi(cmd.arg) // checked by parseMeta
	case "timer":
		if cmd.arg == "" {
			fmt.Fprintln(r.stdout, onOff(r.timer))
			return nil
		}
		r.timer = cmd.arg == "on"
	case "threads":
		return r.setting("threads", cmd.arg)
	case "timeout":
		return r.setting("statement_timeout", cmd.arg)
	case "open":
		names, err := r.eng.RegisterDir(cmd.arg)
		if err != nil {
			return fmt.Errorf(".open %s: %w", cmd.arg, err)
		}
		if len(names) == 0 {
			return fmt.Errorf(".open %s: no .parquet, .csv, .tbl or .arrow files there", cmd.arg)
		}
		fmt.Fprintf(r.stdout, "Opened %s: %s\n", plural(int64(len(names)), "table"), strings.Join(names, ", "))
	case "output":
		return r.setOutput(cmd.arg)
	case "read":
		return r.readFile(in, cmd.arg)
	default:
		return fmt.Errorf("command .%s is not implemented", cmd.name)
	}
	return nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// setting shows or changes a session setting.
func (r *repl) setting(name, value string) error {
	if value == "" {
		s := r.sess.Settings()
		v, err := s.Get(name)
		if err != nil {
			return err
		}
		fmt.Fprintln(r.stdout, v)
		return nil
	}
	return r.sess.Set(name, value)
}

// printSchema prints CREATE TABLE (and CREATE VIEW) statements for one
// table or all.
func (r *repl) printSchema(name string) error {
	names := r.eng.Tables()
	if name != "" {
		names = []string{name}
	}
	for _, n := range names {
		if text, cols, ok := r.eng.View(n); ok {
			list := ""
			if len(cols) > 0 {
				list = " (" + strings.Join(cols, ", ") + ")"
			}
			fmt.Fprintf(r.stdout, "CREATE VIEW %s%s AS %s;\n", n, list, text)
			continue
		}
		t, err := r.eng.Table(n)
		if err != nil {
			return err
		}
		fmt.Fprintf(r.stdout, "CREATE TABLE %s (\n", t.Name())
		fields := t.Schema().Fields()
		for i, f := range fields {
			typ, err := types.FromArrow(f.Type)
			tname := f.Type.String()
			if err == nil {
				tname = typ.String()
			}
			sep := ","
			if i == len(fields)-1 {
				sep = ""
			}
			fmt.Fprintf(r.stdout, "  %s %s%s\n", f.Name, tname, sep)
		}
		fmt.Fprintln(r.stdout, ");")
	}
	return nil
}

// readFile runs a file's lines as if typed: SQL statements and commands.
// A statement left unterminated at the end of the file still runs.
func (r *repl) readFile(in *interrupt, path string) error {
	if r.readDepth >= maxReadDepth {
		return fmt.Errorf(".read %s: files nested more than %d deep", path, maxReadDepth)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf(".read: %w", err)
	}
	defer f.Close()
	r.readDepth++
	defer func() { r.readDepth-- }()
	var buf stmtBuffer
	br := bufio.NewReader(f)
	for in.ctx.Err() == nil && !r.quit {
		line, err := br.ReadString('\n')
		if line != "" {
			if e, ok := buf.push(strings.TrimRight(line, "\r\n")); ok {
				r.runEntry(in, e)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf(".read %s: %w", path, err)
		}
	}
	if !buf.empty() && in.ctx.Err() == nil && !r.quit {
		r.runEntry(in, entry{sql: buf.text()})
	}
	return nil
}

// setOutput sends query results to the file path (created or truncated),
// or back to the screen when path is "".
func (r *repl) setOutput(path string) error {
	if path == "" {
		return r.closeOutput()
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf(".output: %w", err)
	}
	if err := r.closeOutput(); err != nil {
		f.Close()
		return err
	}
	r.output = f
	return nil
}

// closeOutput closes the .output file, if any; results go to the screen.
func (r *repl) closeOutput() error {
	if r.output == nil {
		return nil
	}
	err := r.output.Close()
	r.output = nil
	if err != nil {
		return fmt.Errorf(".output: %w", err)
	}
	return nil
}

// results is where query results go: the .output file or stdout.
func (r *repl) results() io.Writer {
	if r.output != nil {
		return r.output
	}
	return r.stdout
}
