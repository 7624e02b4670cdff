package operators

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// executorDirs are the packages that run queries: only the query group may
// start a goroutine in them (operators/group.go).
var executorDirs = []string{
	"operators", "engine", "planner", "catalog", "expr", "vector", "hashtab", "types", "sources", "tpchgen", "sqlerr",
}

// goStatements returns the positions of go statements in a Go file.
func goStatements(t testing.TB, fset *token.FileSet, path string, src any) []string {
	f, err := parser.ParseFile(fset, path, src, 0)
	require.NoError(t, err)
	var found []string
	ast.Inspect(f, func(n ast.Node) bool {
		if g, ok := n.(*ast.GoStmt); ok {
			found = append(found, fset.Position(g.Pos()).String())
		}
		return true
	})
	return found
}

// TestNoBareGoStatements enforces structured concurrency: a goroutine of a
// query is started only through its Group, which joins it at Close.
func TestNoBareGoStatements(t *testing.T) {
	fset := token.NewFileSet()
	var bare []string
	for _, dir := range executorDirs {
		err := filepath.WalkDir(filepath.Join("..", dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			if filepath.ToSlash(path) == "../operators/group.go" {
				return nil // the group itself
			}
			bare = append(bare, goStatements(t, fset, path, nil)...)
			return nil
		})
		require.NoError(t, err)
	}
	require.Empty(t, bare, "start goroutines through the query's operators.Group")
}

// TestGoStatementCheckCatches shows the check above finds a go statement.
func TestGoStatementCheckCatches(t *testing.T) {
	src := "package x\nfunc f() { go func() {}() }\n"
	require.Len(t, goStatements(t, token.NewFileSet(), "x.go", src), 1)
}
