package expr

import (
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/minisql/minisql/types"
)

// DuckDB's replacements (RE2 rewrites) into regexp.Expand templates. The
// cases RE2 rejects leave the string unchanged in DuckDB
// (regexp_replace('abc', 'b', '\x') is 'abc', checked with duckref).
func TestGoTemplate(t *testing.T) {
	for _, c := range []struct {
		in, tmpl string
		maxGroup int
		ok       bool
	}{
		{``, ``, 0, true},
		{`x`, `x`, 0, true},
		{`\1`, `${1}`, 1, true},
		{`[\1]`, `[${1}]`, 1, true},
		{`\0\0`, `${0}${0}`, 0, true},
		{`\2\1x`, `${2}${1}x`, 2, true},
		{`\9`, `${9}`, 9, true},
		{`\10`, `${1}0`, 1, true}, // one digit only, as RE2
		{`\\`, `\`, 0, true},
		{`\\1`, `\1`, 0, true},
		{`$1`, `$$1`, 0, true},
		{`${0}`, `$${0}`, 0, true},
		{`$$`, `$$$$`, 0, true},
		{`é\1ü`, `é${1}ü`, 1, true},
		{`\x`, ``, 0, false},
		{`x\`, ``, 0, false},
		{`\`, ``, 0, false},
	} {
		tmpl, g, ok := goTemplate(c.in)
		require.Equal(t, c.ok, ok, c.in)
		if ok {
			require.Equal(t, c.tmpl, tmpl, c.in)
			require.Equal(t, c.maxGroup, g, c.in)
		}
	}
}

func TestParseRegexpOptions(t *testing.T) {
	for _, c := range []struct {
		in   string
		kind int
		want reOptions
		err  string
	}{
		{"", reMatches, reOptions{}, ""},
		{"i", reMatches, reOptions{icase: true}, ""},
		{"ic", reMatches, reOptions{}, ""},
		{"ci", reMatches, reOptions{icase: true}, ""},
		{"s", reMatches, reOptions{dotNL: true}, ""},
		{"sn", reMatches, reOptions{}, ""},
		{"l", reFullMatch, reOptions{literal: true}, ""},
		{"gi", reReplace, reOptions{global: true, icase: true}, ""},
		{"g", reMatches, reOptions{}, "only valid for regexp_replace"},
		{"g", reExtract, reOptions{}, "only valid for regexp_replace"},
		{"x", reReplace, reOptions{}, "unrecognized regexp option 'x'"},
	} {
		got, err := parseRegexpOptions(c.in, c.kind)
		if c.err != "" {
			require.ErrorContains(t, err, c.err, c.in)
			continue
		}
		require.NoError(t, err, c.in)
		require.Equal(t, c.want, got, c.in)
	}
}

// A pattern column is compiled once per distinct value; a bad one is an
// error naming it, and a bad pattern under a NULL row is never compiled.
func TestRegexpPatternColumn(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	strs := func(vals []string, valid []bool) *array.String {
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendValues(vals, valid)
		return b.NewStringArray()
	}
	s := strs([]string{"abc", "xyz", "abc", "q"}, nil)
	defer s.Release()
	p := strs([]string{"b", "y", "b", "("}, []bool{true, true, true, false})
	defer p.Release()
	ref := func(i int) Expr { return &ColumnRef{Index: i, Name: "c", T: types.StringType} }
	ev, err := Compile(&Func{Name: "regexp_matches", Args: []Expr{ref(0), ref(1)}, T: types.BoolType})
	require.NoError(t, err)
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}, {Name: "p", Type: arrow.BinaryTypes.String}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{s, p}, 4)
	defer rec.Release()
	v, err := ev.Eval(testEnv{mem}, rec)
	require.NoError(t, err)
	defer v.Release()
	got := v.Arr.(*array.Boolean)
	require.Equal(t, []bool{true, true, true}, []bool{got.Value(0), got.Value(1), got.Value(2)})
	require.True(t, got.IsNull(3))

	bad := strs([]string{"b", "(", "b", "b"}, nil)
	defer bad.Release()
	rec2 := array.NewRecord(schema, []arrow.Array{s, bad}, 4)
	defer rec2.Release()
	_, err = ev.Eval(testEnv{mem}, rec2)
	require.ErrorContains(t, err, `invalid regular expression "("`)
}

// spendEnv counts the budget an evaluation spends.
type spendEnv struct {
	mem   memory.Allocator
	units *int
}

func (e spendEnv) Alloc() memory.Allocator { return e.mem }
func (e spendEnv) Spend(n int) error       { *e.units += n; return nil }

// TestRegexpSpendsByTheKilobyte checks that a regexp kernel spends at
// least two units a byte of text, a check (4096 units) every 2 KiB: Go's
// regexp runs 'a.*c' over long strings at about 12 MB/s, and at a quarter
// of a unit a byte it went 1.4 ms between two checks.
func TestRegexpSpendsByTheKilobyte(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	b := array.NewStringBuilder(mem)
	const rows, size = 16, 4000
	for range rows {
		b.Append(strings.Repeat("ab", size/2))
	}
	s := b.NewStringArray()
	b.Release()
	defer s.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "s", Type: arrow.BinaryTypes.String}}, nil)
	rec := array.NewRecord(schema, []arrow.Array{s}, rows)
	defer rec.Release()
	for _, name := range []string{"regexp_matches", "regexp_replace", "regexp_extract"} {
		t.Run(name, func(t *testing.T) {
			args := []Expr{&ColumnRef{Index: 0, Name: "s", T: types.StringType}, &Literal{Value: StrDatum("a.*c"), T: types.StringType}}
			T := types.BoolType
			switch name {
			case "regexp_replace":
				args, T = append(args, &Literal{Value: StrDatum("x"), T: types.StringType}), types.StringType
			case "regexp_extract":
				T = types.StringType
			}
			ev, err := Compile(&Func{Name: name, Args: args, T: T})
			require.NoError(t, err)
			units := 0
			v, err := ev.Eval(spendEnv{mem, &units}, rec)
			require.NoError(t, err)
			v.Release()
			assert.GreaterOrEqual(t, units, 2*rows*size-1<<16/16, "units spent over %d bytes", rows*size)
		})
	}
}
