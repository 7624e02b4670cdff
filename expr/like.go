package expr

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/minisql/minisql/sqlerr"
	"github.com/minisql/minisql/types"
	"github.com/minisql/minisql/vector"
)

// likeChunk is how many rows LIKE matches between two budget spends: a
// pattern over long strings is one of the expensive per-row functions that
// must not run a whole batch without looking at the context.
const likeChunk = 1024

// likeChunkBytes bounds the bytes matched between two budget spends.
const likeChunkBytes = 256 << 10

// likeMatcher is a LIKE pattern compiled once: patterns made of literal
// text and % only (nearly all in practice) become a prefix, a suffix and
// substrings found in order with bytes.Index; anything with _ falls back
// to a general matcher.
type likeMatcher struct {
	prefix, suffix []byte
	middle         [][]byte
	exact          bool // no wildcard at all: plain equality with prefix
	general        []byte
	escape         byte
}

func compileLikePattern(p string, escape byte) *likeMatcher {
	lits, hasUnderscore := splitLike(p, escape)
	if hasUnderscore {
		return &likeMatcher{general: []byte(p), escape: escape}
	}
	m := &likeMatcher{}
	if len(lits) == 1 {
		m.prefix, m.exact = []byte(lits[0]), true
		return m
	}
	m.prefix = []byte(lits[0])
	m.suffix = []byte(lits[len(lits)-1])
	for _, l := range lits[1 : len(lits)-1] {
		if l != "" {
			m.middle = append(m.middle, []byte(l))
		}
	}
	return m
}

// splitLike splits a pattern at %, unescaping escape+x. lits has one more
// element than there are %s.
func splitLike(p string, escape byte) (lits []string, hasUnderscore bool) {
	var cur strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case escape != 0 && c == escape:
			if i+1 < len(p) {
				i++
				cur.WriteByte(p[i])
			} else {
				cur.WriteByte(c)
			}
		case c == '%':
			lits = append(lits, cur.String())
			cur.Reset()
		case c == '_':
			hasUnderscore = true
			cur.WriteByte(c)
		default:
			cur.WriteByte(c)
		}
	}
	return append(lits, cur.String()), hasUnderscore
}

func (m *likeMatcher) match(s []byte) bool {
	if m.general != nil {
		return likeGeneral(s, m.general, m.escape)
	}
	if m.exact {
		return bytes.Equal(s, m.prefix)
	}
	if len(s) < len(m.prefix)+len(m.suffix) || !bytes.HasPrefix(s, m.prefix) || !bytes.HasSuffix(s, m.suffix) {
		return false
	}
	s = s[len(m.prefix) : len(s)-len(m.suffix)]
	for _, mid := range m.middle {
		i := bytes.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return true
}

// likeGeneral matches s against a pattern with % (any run of characters),
// _ (exactly one character) and escapes, backtracking only to the last %.
func likeGeneral(s, p []byte, escape byte) bool {
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			switch c := p[pi]; {
			case c == '%':
				starP, starS = pi, si
				pi++
				continue
			case c == '_':
				_, w := utf8.DecodeRune(s[si:])
				si += w
				pi++
				continue
			case escape != 0 && c == escape && pi+1 < len(p):
				if s[si] == p[pi+1] {
					si++
					pi += 2
					continue
				}
			case c == s[si]:
				si++
				pi++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		pi = starP + 1
		_, w := utf8.DecodeRune(s[starS:])
		starS += w
		si = starS
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

type likeEval struct {
	x       Evaluator
	m       *likeMatcher
	negated bool
}

func compileLike(e *Like) (Evaluator, error) {
	lit, ok := e.Pattern.(*Literal)
	if !ok {
		return nil, sqlerr.NotSupported("LIKE with a non-constant pattern")
	}
	x, err := Compile(e.X)
	if err != nil {
		return nil, err
	}
	if !lit.Value.Valid {
		return &constEval{t: types.BoolType}, nil
	}
	return &likeEval{x: x, m: compileLikePattern(lit.Value.S, e.Escape), negated: e.Negated}, nil
}

func (e *likeEval) Type() types.T { return types.BoolType }

func (e *likeEval) Eval(env Env, batch arrow.Record) (Vec, error) {
	v, err := e.x.Eval(env, batch)
	if err != nil || v.IsConst() {
		if v.IsConst() && v.Const.Valid {
			return Vec{Const: BoolDatum(e.m.match([]byte(v.Const.S)) != e.negated)}, nil
		}
		return v, err
	}
	defer v.Release()
	a := v.Arr.(*array.String)
	n := a.Len()
	mem := env.Alloc()
	vbuf, out := vector.AllocBitmap(mem, n)
	offs, data := vector.StringData(a)
	// Spend after every likeChunk rows or likeChunkBytes bytes, whichever
	// comes first: a batch of long strings is a long stretch of work.
	rows, bytes := 0, 0
	for i := 0; i < n; i++ {
		s := data[offs[i]:offs[i+1]]
		hit := e.m.match(s) != e.negated
		out[i>>3] |= b2u(hit) << (i & 7)
		rows++
		bytes += len(s)
		if rows == likeChunk || bytes >= likeChunkBytes {
			if err := env.Spend(rows + bytes/16); err != nil {
				vbuf.Release()
				return Vec{}, err
			}
			rows, bytes = 0, 0
		}
	}
	validity, nulls := vector.Validity(mem, n, a)
	return Vec{Arr: vector.NewBoolArray(n, validity, nulls, vbuf)}, nil
}
