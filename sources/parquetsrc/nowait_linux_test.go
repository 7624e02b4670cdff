package parquetsrc

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// On Linux a file read only from memory gives the file's bytes (a file
// just written is in the page cache), and io.EOF past its end.
func TestCachedFromReadsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	data := []byte("the page cache has these bytes")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	read := cachedFrom(f)
	if read == nil {
		t.Skip("this file system refuses RWF_NOWAIT: the reader reads as before")
	}
	b := make([]byte, 9)
	n, err := read(b, 4)
	require.NoError(t, err)
	require.Equal(t, "page cach", string(b[:n]))
	_, err = read(b, int64(len(data)))
	require.ErrorIs(t, err, io.EOF)
}
