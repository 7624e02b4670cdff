package csvsrc

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/minisql/minisql/sqlerr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScannerRecords(t *testing.T) {
	o, err := Options{}.normalize("x.csv")
	require.NoError(t, err)
	tests := []struct {
		name   string
		in     string
		eof    bool
		fields []string // as stored (quotes kept)
		lines  int
		next   int
		status scanStatus
	}{
		{"simple", "a,b,c\nx", false, []string{"a", "b", "c"}, 0, 6, scanOK},
		{"empty fields", ",,\n", false, []string{"", "", ""}, 0, 3, scanOK},
		{"crlf", "a,b\r\n", false, []string{"a", "b"}, 0, 5, scanOK},
		{"cr inside a field", "a\rb,c\n", false, []string{"a\rb", "c"}, 0, 6, scanOK},
		{"incomplete", "a,b", false, nil, 0, 0, scanMore},
		{"eof without newline", "a,b", true, []string{"a", "b"}, 0, 3, scanOK},
		{"quoted delimiter", `"a,b",c` + "\n", false, []string{`"a,b"`, "c"}, 0, 8, scanOK},
		{"doubled quotes", `"a""b",c` + "\n", false, []string{`"a""b"`, "c"}, 0, 9, scanOK},
		{"quoted newline", "\"a\nb\",c\nz", false, []string{"\"a\nb\"", "c"}, 1, 8, scanOK},
		{"quoted crlf end", "\"a\",\"b\"\r\n", false, []string{`"a"`, `"b"`}, 0, 9, scanOK},
		{"quote at buffer end", `"a"`, false, nil, 0, 0, scanMore},
		{"quote at eof", `"a"`, true, []string{`"a"`}, 0, 3, scanOK},
		{"cr at buffer end", "\"a\"\r", false, nil, 0, 0, scanMore},
		{"unterminated", "\"abc\n", true, nil, 1, 0, scanUnterminated},
		{"unterminated needs more", "\"abc\n", false, nil, 0, 0, scanMore},
		{"after quote", `"a"b,c` + "\n", false, nil, 0, 0, scanAfterQuote},
		{"literal quote inside unquoted", `a"b,c` + "\n", false, []string{`a"b`, "c"}, 0, 6, scanOK},
		{"empty quoted", `"",x` + "\n", false, []string{`""`, "x"}, 0, 5, scanOK},
		{"blank line", "\n", false, []string{""}, 0, 1, scanOK},
		{"plain fields then quoted", "x,y,\"a,b\",c\n", false, []string{"x", "y", `"a,b"`, "c"}, 0, 12, scanOK},
		{"long plain prefix then quoted", "12345678,abcdefghij,\"q\"\"\nx\"\n", false, []string{"12345678", "abcdefghij", "\"q\"\"\nx\""}, 1, 28, scanOK},
		{"literal quote after plain fields", "1,2,ab\"c,d\n", false, []string{"1", "2", `ab"c`, "d"}, 0, 11, scanOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sc := newScanner(&o, 1, true)
			res := sc.scan([]byte(tt.in), 0, tt.eof)
			require.Equal(t, tt.status, res.status)
			if tt.status == scanUnterminated {
				assert.Equal(t, tt.lines, res.lines)
			}
			if tt.status != scanOK {
				return
			}
			var got []string
			for _, s := range sc.spans[:res.nf] {
				got = append(got, tt.in[s.s:s.e])
			}
			assert.Equal(t, tt.fields, got)
			assert.Equal(t, tt.lines, res.lines)
			assert.Equal(t, tt.next, res.next)
		})
	}
}

func TestScannerTooMany(t *testing.T) {
	o, _ := Options{}.normalize("x.csv")
	sc := newScanner(&o, 2, false)
	assert.Equal(t, scanTooMany, sc.scan([]byte("a,b,c\n"), 0, false).status)
	assert.Equal(t, scanTooMany, sc.scan([]byte("\"a\",b,c\n"), 0, false).status)
	assert.Equal(t, scanTooMany, sc.scan([]byte("a,b,c,\"d\"\n"), 0, false).status)
	assert.Equal(t, scanTooMany, sc.scan([]byte("a,b,\"c\"\n"), 0, false).status)
	assert.Equal(t, scanOK, sc.scan([]byte("a,b\n"), 0, false).status)
}

func TestUnescape(t *testing.T) {
	for in, want := range map[string]string{`a""b`: `a"b`, `""`: `"`, `""""`: `""`, `abc`: `abc`, `x""`: `x"`} {
		assert.Equal(t, want, string(appendUnescaped(nil, []byte(in), '"')), in)
	}
}

// TestNeverPanics feeds random bytes from a CSV-ish alphabet through Open
// and the reader: every outcome must be rows or a typed error.
func TestNeverPanics(t *testing.T) {
	alphabet := []byte("ab1,.-\"\n\r|e9 0:")
	rng := rand.New(rand.NewSource(1))
	for iter := 0; iter < 300; iter++ {
		b := make([]byte, rng.Intn(200))
		for i := range b {
			b[i] = alphabet[rng.Intn(len(alphabet))]
		}
		path := writeTemp(t, "f.csv", string(b))
		for _, o := range []Options{{}, {SampleRows: 2}, {Header: No, TrailingDelimiter: Yes}} {
			f, err := Open(context.Background(), path, o)
			if err != nil {
				assert.True(t, isKind(err), "%q: %v", b, err)
				continue
			}
			f.minChunk = 1
			for _, c := range f.Chunks(3) {
				_, err := readChunk(t, f, c, nil)
				if err != nil {
					assert.True(t, isKind(err), "%q: %v", b, err)
				}
			}
		}
	}
}

// isKind reports whether err is an invalid-value or I/O error.
func isKind(err error) bool {
	return errors.Is(err, sqlerr.ErrInvalidValue) || errors.Is(err, sqlerr.ErrIO)
}

func TestProjectionAndBatchSize(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("a,b,c,d\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&sb, "%d,x%d,%d.5,2024-01-%02d\n", i, i, i, i%28+1)
	}
	path := writeTemp(t, "p.csv", sb.String())
	f, err := Open(context.Background(), path, Options{BatchSize: 64})
	require.NoError(t, err)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	r, err := f.NewReader(f.Chunks(1)[0], []int{3, 0}, mem)
	require.NoError(t, err)
	defer r.Close()
	assert.Equal(t, "d:DATE, a:BIGINT", schemaString(r.Schema()))
	total, batches := 0, 0
	for {
		rec, err := r.Next(context.Background())
		require.NoError(t, err)
		if rec == nil {
			break
		}
		assert.LessOrEqual(t, rec.NumRows(), int64(64))
		assert.Equal(t, int64(2), rec.NumCols())
		if total == 0 {
			assert.Equal(t, []string{"2024-01-01", "0"}, recordRows(rec)[0])
		}
		total += int(rec.NumRows())
		batches++
		rec.Release()
	}
	assert.Equal(t, 1000, total)
	assert.Equal(t, 16, batches)
	rec, err := r.Next(context.Background())
	assert.NoError(t, err)
	assert.Nil(t, rec)

	// No columns at all: rows are still counted (and validated).
	rows, err := readAll(t, f, []int{})
	require.NoError(t, err)
	assert.Len(t, rows, 1000)

	_, err = f.NewReader(f.Chunks(1)[0], []int{4}, mem)
	assert.ErrorIs(t, err, sqlerr.ErrInvalidSetting)
}

// TestUnparsedColumnsStillCounted: a projection skips parsing but not the
// field count check.
func TestUnparsedColumnsStillCounted(t *testing.T) {
	f, err := openString(t, "a.csv", "a,b\n1,x\n2,y\n3,z\n4\n", Options{SampleRows: 2})
	require.NoError(t, err)
	_, err = readAll(t, f, []int{1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "line 5")
	f, err = openString(t, "a.csv", "a,b\n1,x\n2,y\n3,z\nbad,w\n", Options{SampleRows: 2, Schema: schemaOf("a", int64T, "b", stringT)})
	require.NoError(t, err)
	rows, err := readAll(t, f, []int{1})
	require.NoError(t, err, "column a is not parsed")
	assert.Len(t, rows, 4)
}
