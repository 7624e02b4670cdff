package engine

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/minisql/minisql/planner/binder"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/sqlerr"
)

// Session runs statements with its own settings. A session is safe for
// concurrent use; its queries run independently.
type Session struct {
	eng *Engine

	mu       sync.Mutex
	settings Settings
}

// NewSession returns a session with the engine's default settings.
func (e *Engine) NewSession() *Session {
	return &Session{eng: e, settings: e.defaults}
}

// Query runs one statement in the engine's default session.
func (e *Engine) Query(ctx context.Context, sql string) (*Rows, error) {
	return e.def.Query(ctx, sql)
}

// Exec runs a script in the engine's default session.
func (e *Engine) Exec(ctx context.Context, sql string) (Result, error) {
	return e.def.Exec(ctx, sql)
}

// Settings returns a copy of the session's settings.
func (s *Session) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// Set changes a setting, as SET name = value does.
func (s *Session) Set(name, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings.Set(name, value)
}

// Result reports what a statement without rows did.
type Result struct {
	// Message is a short status such as "CREATE TABLE" or "INSERT 3".
	Message      string
	RowsAffected int64
}

// Statements splits a script into statements, with each one's offset.
func Statements(sql string) ([]parse.Piece, error) { return parse.Split(sql) }

// Query runs one statement. SELECT, EXPLAIN, SHOW TABLES and DESCRIBE stream
// rows; any other statement runs to completion and returns Rows without
// columns whose Message says what it did. The caller must Close the Rows.
func (s *Session) Query(ctx context.Context, sql string) (*Rows, error) {
	pieces, err := parse.Split(sql)
	if err != nil {
		return nil, err
	}
	switch len(pieces) {
	case 0:
		return nil, sqlerr.At(0, sqlerr.ErrSyntax, "empty statement")
	case 1:
	default:
		return nil, sqlerr.At(pieces[1].Offset, sqlerr.ErrSyntax, "Query runs one statement; use Exec for a script")
	}
	rows, err := s.run(ctx, pieces[0].Text)
	return rows, sqlerr.WithOffset(err, pieces[0].Offset)
}

// Exec runs every statement of a script in order, discarding rows, and
// returns the result of the last one. It stops at the first error.
func (s *Session) Exec(ctx context.Context, sql string) (Result, error) {
	pieces, err := parse.Split(sql)
	if err != nil {
		return Result{}, err
	}
	var res Result
	for _, p := range pieces {
		rows, err := s.run(ctx, p.Text)
		if err != nil {
			return res, sqlerr.WithOffset(err, p.Offset)
		}
		n := int64(0)
		for rows.Next() {
			n += rows.Record().NumRows()
		}
		err = rows.Close()
		if err != nil {
			return res, sqlerr.WithOffset(err, p.Offset)
		}
		res = Result{Message: rows.Message(), RowsAffected: rows.affected}
		if res.Message == "" {
			res = Result{Message: fmt.Sprintf("SELECT %d", n), RowsAffected: n}
		}
	}
	return res, nil
}

// run parses, binds and starts one statement.
func (s *Session) run(ctx context.Context, text string) (*Rows, error) {
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	start := time.Now()
	st, err := parse.Parse(text)
	if err != nil {
		return nil, err
	}
	bound, err := s.bind(st, start)
	if err != nil {
		return nil, err
	}
	settings := s.Settings()
	switch b := bound.(type) {
	case *binder.Query:
		if b.Explain {
			return s.explain(ctx, b, settings)
		}
		return s.startQuery(ctx, b, settings, start)
	}
	return s.execStatement(ctx, bound, settings)
}

// bind binds a parsed statement, a panic in the binder included.
func (s *Session) bind(st *parse.Statement, start time.Time) (bound binder.Statement, err error) {
	defer recoverPlanning(&err)
	return binder.BindAt(s.eng, st, start)
}
