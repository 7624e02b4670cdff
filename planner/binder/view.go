package binder

import (
	"errors"
	"fmt"
	"strings"

	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
)

// ViewCatalog is a catalog that also holds views (the engine's does).
type ViewCatalog interface {
	// View returns a view's query text and its column names (nil when
	// the view names none).
	View(name string) (text string, columns []string, ok bool)
}

// CreateView stores a view: its query, already bound once to check it.
type CreateView struct {
	Name        string
	Text        string
	Columns     []string
	OrReplace   bool
	IfNotExists bool
}

// DropView removes views.
type DropView struct {
	Names    []string
	IfExists bool
}

func (*CreateView) isStatement() {}
func (*DropView) isStatement()   {}

// maxViewDepth bounds views naming views.
const maxViewDepth = 32

// bindCreateView checks a view's query by binding it, as DuckDB does, so
// that a view that cannot run is refused when it is made.
func (b *binder) bindCreateView(st *parse.Statement) (Statement, error) {
	// The view being made is in the chain: a query that reaches it (the
	// old view of the name, through others) would make a cycle.
	b.views = []string{strings.ToLower(st.Name)}
	q, err := b.bindTopQuery(st.Query)
	if err != nil {
		return nil, err
	}
	if len(st.Columns) > len(q.Names) {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "view %s names %d columns but its query has %d", st.Name, len(st.Columns), len(q.Names))
	}
	return &CreateView{Name: st.Name, Text: st.ViewText, Columns: st.Columns, OrReplace: st.OrReplace, IfNotExists: st.IfNotExists}, nil
}

// lookupView returns the view of that name, if the catalog has views.
func (b *binder) lookupView(name string) (text string, cols []string, ok bool) {
	vc, isViews := b.cat.(ViewCatalog)
	if !isViews {
		return "", nil, false
	}
	return vc.View(name)
}

// bindView binds a view's query where the view is named: parsed and bound
// anew each time (so each reference gets its own column IDs, as a CTE's),
// by a binder of its own that shares the statement's column numbering.
func (b *binder) bindView(name, text string, viewCols []string) (plan.Node, []plan.Column, error) {
	key := strings.ToLower(name)
	for i, v := range b.views {
		if v == key {
			chain := strings.Join(append(b.views[i:], key), " -> ")
			return nil, nil, b.errAt(name, sqlerr.ErrSyntax, "view %s refers to itself (%s)", name, chain)
		}
	}
	if len(b.views) >= maxViewDepth {
		return nil, nil, b.errAt(name, sqlerr.ErrSyntax, "views nested more than %d deep", maxViewDepth)
	}
	st, err := parse.Parse(text)
	if err == nil && st.Query == nil {
		err = sqlerr.New(sqlerr.ErrInternal, "not a query")
	}
	if err != nil {
		return nil, nil, b.viewError(name, err)
	}
	sub := &binder{cat: b.cat, text: text, aliases: map[string]parse.DerivedAlias{}, nextID: b.nextID,
		views: append(append([]string(nil), b.views...), key), now: b.now}
	sub.depth = b.depth // a view is a table expression of the query naming it
	node, cols, err := sub.bindQuery(st.Query, nil)
	b.nextID = sub.nextID
	if err != nil {
		return nil, nil, b.viewError(name, err)
	}
	if len(viewCols) > len(cols) {
		return nil, nil, b.errAt(name, sqlerr.ErrSyntax, "view %s names %d columns but its query now has %d", name, len(viewCols), len(cols))
	}
	out := make([]plan.Column, len(cols))
	copy(out, cols)
	for i, c := range viewCols {
		out[i].Name = c
	}
	return node, out, nil
}

// viewError reports an error in a view's query at the view's name in the
// statement being bound (its own position is in the view's text). An
// error from a view inside that one keeps the inner view's name.
func (b *binder) viewError(name string, err error) error {
	var e *sqlerr.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%w (in view %s)", err, name)
	}
	msg := e.Msg
	if !strings.Contains(msg, "(in view ") && !strings.HasPrefix(msg, "view ") {
		msg = fmt.Sprintf("%s (in view %s)", msg, name)
	}
	return b.errAt(name, e.Kind, "%s", msg)
}

// describeView binds a view to list its columns.
func (b *binder) describeView(name, text string, cols []string) (Statement, error) {
	b.depth = 1
	_, out, err := b.bindView(name, text, cols)
	if err != nil {
		return nil, err
	}
	return describeColumns(out), nil
}

func describeColumns(cols []plan.Column) *Describe {
	d := &Describe{}
	for _, c := range cols {
		d.Names = append(d.Names, c.Name)
		d.Types = append(d.Types, c.Type)
	}
	return d
}
