package csvsrc

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzRead: any input gives rows or a typed error, never a panic; and when
// every chunk of a split scan succeeds, the chunks together give exactly
// the rows of a single scan.
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"a,b\n1,2\n", "a|b|\n1|2|\n", "\"a\nb\",c\n\"\"\"\",d\n", "1,2\r\n3,\"4\"\r\n", "x\n\n\n", "\"unterminated\n",
		"d,n\n2024-02-29,1.5\n2023-02-29,2\n", "a,b\n1,2,3\n", "\"a\"b,c\n", "t,f\ntrue,false\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		path := filepath.Join(t.TempDir(), "f.csv")
		require.NoError(t, os.WriteFile(path, data, 0o644))
		opts := Options{SampleRows: int(mode%4) + 1, BatchSize: int(mode/4%4) + 1}
		if mode&16 != 0 {
			opts.Delimiter = '|'
		}
		file, err := Open(context.Background(), path, opts)
		if err != nil {
			if !isKind(err) {
				t.Fatalf("untyped error: %v", err)
			}
			return
		}
		whole, werr := readAll(t, file, nil)
		if werr != nil && !isKind(werr) {
			t.Fatalf("untyped error: %v", werr)
		}
		file.minChunk = 1
		var parts [][]string
		var perr error
		for _, c := range file.Chunks(3) {
			rows, err := readChunk(t, file, c, nil)
			if err != nil {
				if !isKind(err) {
					t.Fatalf("untyped error: %v", err)
				}
				perr = err
				break
			}
			parts = append(parts, rows...)
		}
		if werr == nil && perr == nil {
			require.Equal(t, whole, parts)
		}
	})
}
