package expr

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckedTextMatchesTheRegexp compares the checked reader's answers
// with the regexp's own over long texts: plain, multibyte, with matches
// at the edges, empty matches and patterns that look back.
func TestCheckedTextMatchesTheRegexp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	random := func(alphabet []string, n int) string {
		var b strings.Builder
		for b.Len() < n {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		return b.String()
	}
	texts := map[string]string{
		"ab":        strings.Repeat("ab", longText),
		"ab_then_c": strings.Repeat("ab", longText) + "c",
		"random":    random([]string{"a", "b", "c", " ", "x"}, 3*longText),
		"multibyte": random([]string{"é", "a", "日本", "c", "\n", "b"}, 3*longText),
		"lines":     random([]string{"line one\n", "two b\n", "abc\n", "\n"}, 3*longText),
	}
	patterns := []string{`a.*c`, `(a|b)+c`, `c`, `x*`, `(b)(c)?`, `日本|é`, `\s+`, `^a`, `(?m)^ab`, `\bb`, `\Bc`, `c$`, `(?s).`, `a{2,}`, `$`}
	var text checkedText
	env := testEnv{memory.NewGoAllocator()}
	for name, s := range texts {
		require.GreaterOrEqual(t, len(s), longText, name)
		b := []byte(s)
		for _, pat := range patterns {
			re := regexp.MustCompile(pat)
			m, err := text.match(env, re, b)
			require.NoError(t, err)
			assert.Equal(t, re.Match(b), m, "match %q in %s", pat, name)
			loc, err := text.find(env, re, b)
			require.NoError(t, err)
			assert.Equal(t, re.FindSubmatchIndex(b), loc, "find %q in %s", pat, name)
			var all [][]int
			ok, err := text.eachMatch(env, re, b, func(loc []int) error {
				all = append(all, loc)
				return nil
			})
			require.NoError(t, err)
			assert.Equal(t, startFree(re), ok, "%q", pat)
			if ok {
				assert.Equal(t, re.FindAllSubmatchIndex(b, -1), all, "find all %q in %s", pat, name)
			}
		}
	}
}

func TestStartFree(t *testing.T) {
	for pat, want := range map[string]bool{
		`a.*c`: true, `c$`: true, `(?i)ab|cd`: true, `x*`: true,
		`^a`: false, `(?m)^a`: false, `\Aa`: false, `\bword`: false, `a\B`: false, `(x|^y)`: false,
	} {
		assert.Equal(t, want, startFree(regexp.MustCompile(pat)), pat)
	}
}

// stopEnv cancels after a number of spends.
type stopEnv struct {
	testEnv
	spends, stopAt *int
}

var errStopped = errors.New("stopped")

func (e stopEnv) Spend(int) error {
	if *e.spends++; *e.spends >= *e.stopAt {
		return errStopped
	}
	return nil
}

// TestCheckedTextStopsInsideAMatch checks that a long text is read with a
// spend every readPiece bytes, and that a failed spend ends the match at
// once with its error, in every form.
func TestCheckedTextStopsInsideAMatch(t *testing.T) {
	s := []byte(strings.Repeat("ab", 1<<20)) // 2 MiB, no match
	re := regexp.MustCompile(`a.*c`)
	var text checkedText
	run := func(stopAt int, f func(Env) error) (int, error) {
		spends := 0
		err := f(stopEnv{testEnv{memory.NewGoAllocator()}, &spends, &stopAt})
		return spends, err
	}
	forms := map[string]func(Env) error{
		"match": func(env Env) error { _, err := text.match(env, re, s); return err },
		"find":  func(env Env) error { _, err := text.find(env, re, s); return err },
		"eachMatch": func(env Env) error {
			_, err := text.eachMatch(env, re, s, func([]int) error { return nil })
			return err
		},
	}
	for name, f := range forms {
		spends, err := run(1<<30, f)
		require.NoError(t, err, name)
		assert.GreaterOrEqual(t, spends, len(s)/readPiece, "%s: a spend every %d bytes", name, readPiece)

		spends, err = run(10, f)
		assert.ErrorIs(t, err, errStopped, name)
		assert.Equal(t, 10, spends, "%s: nothing read after the failed spend", name)
	}
}
