// Package engine is minisql's embedding API: open an Engine, register
// tables, and run SQL in a Session, getting results as a stream of Arrow
// record batches.
//
//	eng := engine.Open()
//	defer eng.Close()
//	rows, err := eng.Query(ctx, "SELECT 42 AS answer")
//	if err != nil { ... }
//	defer rows.Close()
//	for rows.Next() {
//		rec := rows.Record() // valid until the next call to Next
//		...
//	}
//	if err := rows.Err(); err != nil { ... }
//
// Every query runs under the caller's context: cancelling it (or closing
// the Rows early) stops every operator of the query within milliseconds,
// joins every goroutine it started and releases every buffer before Close
// returns.
package engine

import (
	"context"
	"fmt"
	"github.com/minisql/minisql/osmem"
	"github.com/minisql/minisql/paged"
	"io"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/bufpool"
	"github.com/minisql/minisql/catalog"
	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
)

// Engine is a database: a catalog of tables shared by its sessions. It is
// safe for concurrent use.
type Engine struct {
	mem      memory.Allocator
	maps     *osmem.Pool // hash tables' slot mappings, kept for the next query
	pages    *paged.Pool // state pages, kept for the next query
	defaults Settings
	// slots admits queries: a query holds one from its start until its
	// Close, so a query that never let go would be seen by the next one.
	slots chan struct{}

	mu     sync.RWMutex
	tables map[string]catalog.Table
	views  map[string]view
	paths  map[string]catalog.Table // files named by path in FROM, opened once
	def    *Session
}

// Option configures an Engine.
type Option func(*Engine)

// WithAllocator makes every query allocate from mem (tests pass a checked
// allocator to find leaks).
func WithAllocator(mem memory.Allocator) Option { return func(e *Engine) { e.mem = mem } }

// WithMaxQueries bounds the number of queries running at once (default
// 64); a query waits for a slot, or for its context to end.
func WithMaxQueries(n int) Option {
	return func(e *Engine) { e.slots = make(chan struct{}, max(n, 1)) }
}

// WithSettings sets the defaults new sessions start with.
func WithSettings(s Settings) Option { return func(e *Engine) { e.defaults = s } }

// poolRetain is how much freed buffer memory the engine's allocator keeps
// for reuse: enough for the batches in flight of a few parallel queries.
const poolRetain = 512 << 20

// mapRetain is how much of its queries' hash-table memory the engine keeps
// mapped and faulted in for the next query (osmem.Pool).
const mapRetain = 128 << 20

// pageRetain is how much of its queries' state pages (paged.Vec: aggregate
// state, join chains) the engine keeps for the next query (paged.Pool).
const pageRetain = 256 << 20

// Open returns an empty engine. Its queries allocate from a pool that
// recycles the buffers they release (see package bufpool).
func Open(opts ...Option) *Engine {
	e := &Engine{mem: bufpool.New(poolRetain), maps: osmem.NewPool(mapRetain), pages: paged.NewPool(pageRetain / paged.PageBytes), defaults: DefaultSettings(), tables: map[string]catalog.Table{}, views: map[string]view{}, paths: map[string]catalog.Table{}}
	for _, o := range opts {
		o(e)
	}
	if e.slots == nil {
		e.slots = make(chan struct{}, defaultMaxQueries)
	}
	e.def = e.NewSession()
	return e
}

// Close drops every table, closing the files of file-backed ones.
func (e *Engine) Close() error {
	e.mu.Lock()
	defer e.mu.Unlock()
	var first error
	for name, t := range e.tables {
		if err := dropTable(t); err != nil && first == nil {
			first = err
		}
		delete(e.tables, name)
	}
	for path, t := range e.paths {
		if err := dropTable(t); err != nil && first == nil {
			first = err
		}
		delete(e.paths, path)
	}
	if err := e.maps.Close(); err != nil && first == nil {
		first = err
	}
	return first
}

// dropTable frees what a table holds: an in-memory table's batches, a file
// table's open file. A scan still running keeps what it already took.
func dropTable(t catalog.Table) error {
	switch t := t.(type) {
	case *catalog.MemTable:
		t.Release()
	case io.Closer:
		return t.Close()
	}
	return nil
}

const defaultMaxQueries = 64

// acquire takes a query slot, waiting in a select that watches ctx.
func (e *Engine) acquire(ctx context.Context) error {
	if ctx.Err() != nil { // a select would pick a free slot half the time
		return context.Cause(ctx)
	}
	select {
	case e.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

func (e *Engine) release() { <-e.slots }

// FreeSlots is the number of queries that could start now.
func (e *Engine) FreeSlots() int { return cap(e.slots) - len(e.slots) }

// Allocator returns the engine's allocator.
func (e *Engine) Allocator() memory.Allocator { return e.mem }

func key(name string) string { return strings.ToLower(name) }

// Table implements catalog.Catalog.
func (e *Engine) Table(name string) (catalog.Table, error) {
	e.mu.RLock()
	t, ok := e.tables[key(name)]
	e.mu.RUnlock()
	if ok {
		return t, nil
	}
	if rt, ok, err := catalog.ParseRange(name); ok {
		if err != nil {
			return nil, sqlerr.Wrap(sqlerr.ErrInvalidValue, err, "%v", err)
		}
		return rt, nil
	}
	if parse.LooksLikeFileCall(name) {
		return e.callTable(name)
	}
	if isDataPath(name) {
		return e.pathTable(name)
	}
	return nil, sqlerr.New(sqlerr.ErrUnknownTable, "%q", name)
}

// pathTable opens a file named in FROM (`dir/file.parquet`) once and keeps
// it until the engine closes; a file that changed since is opened again.
func (e *Engine) pathTable(path string) (catalog.Table, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, sqlerr.Wrap(sqlerr.ErrIO, err, "%v", err)
	}
	key := fmt.Sprintf("%s|%d|%d", path, st.Size(), st.ModTime().UnixNano())
	return e.cachedFile(key, func() (catalog.Table, error) {
		t, err := OpenFile(path)
		if err != nil {
			return nil, err
		}
		if t == nil {
			return nil, sqlerr.New(sqlerr.ErrUnknownTable, "%q is not a data file", path)
		}
		return renamedTable{Table: t, name: path}, nil
	})
}

// cachedFile returns the file table opened under key, opening it first if
// there is none.
func (e *Engine) cachedFile(key string, open func() (catalog.Table, error)) (catalog.Table, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if t, ok := e.paths[key]; ok {
		return t, nil
	}
	t, err := open()
	if err != nil {
		return nil, err
	}
	e.paths[key] = t
	return t, nil
}

// renamedTable is a file table known by its path.
type renamedTable struct {
	catalog.Table
	name string
}

func (r renamedTable) Name() string { return r.name }

// Close closes the underlying file table.
func (r renamedTable) Close() error { return dropTable(r.Table) }

// Tables lists the tables' and views' names, sorted.
func (e *Engine) Tables() []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	names := make([]string, 0, len(e.tables)+len(e.views))
	for _, t := range e.tables {
		names = append(names, t.Name())
	}
	for _, v := range e.views {
		names = append(names, v.name)
	}
	sort.Strings(names)
	return names
}

// Register adds a table (an in-memory table, a file, ...). It fails if the
// name is taken unless replace is set.
func (e *Engine) Register(t catalog.Table, replace bool) error {
	if err := checkSchema(t.Schema()); err != nil {
		return sqlerr.Wrap(sqlerr.ErrType, err, "table %s: %v", t.Name(), err)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	k := key(t.Name())
	if _, ok := e.views[k]; ok {
		return sqlerr.New(sqlerr.ErrTableExists, "%q is a view", t.Name())
	}
	if old, ok := e.tables[k]; ok {
		if !replace {
			return sqlerr.New(sqlerr.ErrTableExists, "%q", t.Name())
		}
		if old != t {
			if err := dropTable(old); err != nil {
				return err
			}
		}
	}
	e.tables[k] = t
	return nil
}

// Drop removes a table. It reports whether the table existed.
func (e *Engine) Drop(name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	t, ok := e.tables[key(name)]
	if ok {
		delete(e.tables, key(name))
		dropTable(t)
	}
	return ok
}

// RegisterRecords creates an in-memory table from Arrow records. Columns
// must use minisql's canonical types (see package types).
func (e *Engine) RegisterRecords(name string, schema *arrow.Schema, recs ...arrow.Record) error {
	if err := checkSchema(schema); err != nil {
		return sqlerr.Wrap(sqlerr.ErrType, err, "table %s: %v", name, err)
	}
	t := catalog.NewMemTable(name, schema)
	if err := t.Append(recs...); err != nil {
		t.Release()
		return sqlerr.Wrap(sqlerr.ErrType, err, "table %s: %v", name, err)
	}
	if err := e.Register(t, false); err != nil {
		t.Release()
		return err
	}
	return nil
}

func checkSchema(s *arrow.Schema) error {
	for _, f := range s.Fields() {
		if _, err := types.FromArrow(f.Type); err != nil {
			return err
		}
	}
	return nil
}
