package engine

import (
	"github.com/minisql/minisql/sqlerr"
)

// view is a stored query (CREATE VIEW): its text, bound where it is used.
type view struct {
	name    string
	text    string
	columns []string
}

// View implements binder.ViewCatalog.
func (e *Engine) View(name string) (text string, columns []string, ok bool) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	v, ok := e.views[key(name)]
	return v.text, v.columns, ok
}

// CreateView stores a view. A table or view of the same name is an error
// unless replace is set (and then only a view is replaced: a table is not
// dropped to make room for a view).
func (e *Engine) CreateView(name, text string, columns []string, replace bool) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := key(name)
	if _, ok := e.tables[k]; ok {
		return sqlerr.New(sqlerr.ErrTableExists, "%q is a table", name)
	}
	if _, ok := e.views[k]; ok && !replace {
		return sqlerr.New(sqlerr.ErrTableExists, "%q", name)
	}
	e.views[k] = view{name: name, text: text, columns: columns}
	return nil
}

// DropView removes a view. It reports whether there was one.
func (e *Engine) DropView(name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.views[key(name)]
	delete(e.views, key(name))
	return ok
}

// isView reports whether name is a view.
func (e *Engine) isView(name string) bool {
	e.mu.RLock()
	defer e.mu.RUnlock()
	_, ok := e.views[key(name)]
	return ok
}
