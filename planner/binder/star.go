package binder

import (
	"strconv"
	"strings"

	"github.com/minisql/minisql/planner/parse"
	"github.com/minisql/minisql/planner/plan"
	"github.com/minisql/minisql/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// starModifiers is a star's EXCLUDE and REPLACE lists, from the pre-lexer's
// __star(qualifier, 'exclude', n, names..., 'replace', n, expr, name, ...)
// (parse/star.go).
type starModifiers struct {
	qualifier string
	exclude   map[string]bool
	replace   map[string]sqlparser.Expr
	names     []string // every name listed, lower case, in order
}

// isStarCall reports whether a select item is the pre-lexer's __star.
func isStarCall(e sqlparser.Expr) (*sqlparser.FuncExpr, bool) {
	f, ok := e.(*sqlparser.FuncExpr)
	return f, ok && f.Qualifier.IsEmpty() && f.Name.Lowered() == parse.StarFunc
}

func parseStarCall(f *sqlparser.FuncExpr) (*starModifiers, error) {
	bad := sqlerr.New(sqlerr.ErrSyntax, "malformed %s", parse.StarFunc)
	var args []sqlparser.Expr
	for _, se := range f.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, bad
		}
		args = append(args, ae.Expr)
	}
	str := func(i int, kind sqlparser.ValType) (string, bool) {
		if i >= len(args) {
			return "", false
		}
		v, ok := args[i].(*sqlparser.SQLVal)
		if !ok || v.Type != kind {
			return "", false
		}
		return string(v.Val), true
	}
	qual, ok := str(0, sqlparser.StrVal)
	if !ok {
		return nil, bad
	}
	m := &starModifiers{qualifier: qual, exclude: map[string]bool{}, replace: map[string]sqlparser.Expr{}}
	for i := 1; i < len(args); {
		mode, ok1 := str(i, sqlparser.StrVal)
		count, ok2 := str(i+1, sqlparser.IntVal)
		n, err := strconv.Atoi(count)
		if !ok1 || !ok2 || err != nil {
			return nil, bad
		}
		i += 2
		for k := 0; k < n; k++ {
			var name string
			var expr sqlparser.Expr
			if mode == "replace" {
				if i+1 >= len(args) {
					return nil, bad
				}
				expr = args[i]
				i++
			}
			if name, ok = str(i, sqlparser.StrVal); !ok {
				return nil, bad
			}
			i++
			key := strings.ToLower(name)
			if m.exclude[key] || m.replace[key] != nil {
				return nil, sqlerr.New(sqlerr.ErrSyntax, "column %q is listed twice in EXCLUDE and REPLACE", name)
			}
			if mode == "replace" {
				m.replace[key] = expr
			} else {
				m.exclude[key] = true
			}
			m.names = append(m.names, name)
		}
	}
	return m, nil
}

// bindStar expands a star with EXCLUDE and REPLACE: the star's columns in
// order, without the excluded ones, a replaced one computed by its
// expression under the column's name.
func (b *binder) bindStar(f *sqlparser.FuncExpr, ctx *exprCtx) ([]selectItem, error) {
	m, err := parseStarCall(f)
	if err != nil {
		return nil, err
	}
	cols, err := b.star(ctx.sc, m.qualifier)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, c := range cols {
		have[strings.ToLower(c.Name)] = true
	}
	for _, name := range m.names {
		if !have[strings.ToLower(name)] {
			list := "EXCLUDE"
			if m.replace[strings.ToLower(name)] != nil {
				list = "REPLACE"
			}
			return nil, b.errAt(name, sqlerr.ErrUnknownColumn, "%q in the %s list", name, list)
		}
	}
	var items []selectItem
	for _, c := range cols {
		key := strings.ToLower(c.Name)
		switch {
		case m.exclude[key]:
		case m.replace[key] != nil:
			ast := m.replace[key]
			e, err := b.bindExpr(ast, ctx)
			if err != nil {
				return nil, err
			}
			items = append(items, selectItem{e: e, col: plan.Column{Name: c.Name, Type: e.Type()}, alias: c.Name, ast: ast})
		default:
			items = append(items, selectItem{e: c.Ref(), col: plan.Column{ID: c.ID, Name: c.Name, Type: c.Type}})
		}
	}
	if len(items) == 0 {
		return nil, sqlerr.New(sqlerr.ErrSyntax, "the select list is empty after EXCLUDE")
	}
	return items, nil
}
