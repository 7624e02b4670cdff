package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow/memory"

	"github.com/minisql/minisql/engine"
	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/tpchgen"
)

// Environment variables that configure BenchmarkTPCH.
const (
	// envSF is the TPC-H scale factor (default defaultSF).
	envSF = "MINISQL_BENCH_SF"
	// envDir is the directory of the Parquet files. It defaults to a cache
	// directory per scale factor (see dataDir).
	envDir = "MINISQL_BENCH_DIR"
	// envThreads is the number of threads of the timed runs (default 1).
	envThreads = "MINISQL_BENCH_THREADS"
	// defaultSF keeps `make bench` within a few minutes on two cores.
	defaultSF = 0.1
)

// officialSF is the scale factor of the official data and answers kept in
// the repository; at that scale factor (and without envDir) the benchmark
// reads them instead of generating data, and checks the official answers.
const officialSF = 0.01

// Paths of the repository's TPC-H files, relative to this package.
const (
	queriesDir  = "../testdata/tpch/queries"
	answersDir  = "../testdata/tpch/answers"
	officialDir = "../testdata/tpch/sf0.01"
)

// tpchTables are the eight TPC-H tables, one <name>.parquet file each.
var tpchTables = []string{"customer", "lineitem", "nation", "orders", "part", "partsupp", "region", "supplier"}

// config is where the data of a benchmark run comes from.
type config struct {
	SF       float64
	Label    string // SF as written in benchmark names: "0.1", "1"
	Dir      string
	Official bool // Dir holds the official SF0.01 data: answers are checked
	Threads  int  // SET threads of the timed runs
}

// loadConfig reads the configuration from the environment (getenv is
// os.Getenv outside tests of this function).
func loadConfig(getenv func(string) string) (config, error) {
	c := config{SF: defaultSF, Threads: 1}
	if s := strings.TrimSpace(getenv(envThreads)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 1024 {
			return c, fmt.Errorf("%s=%q: want a number of threads from 1 to 1024", envThreads, s)
		}
		c.Threads = n
	}
	if s := strings.TrimSpace(getenv(envSF)); s != "" {
		sf, err := strconv.ParseFloat(s, 64)
		if err != nil || !(sf > 0) || sf > 1000 {
			return c, fmt.Errorf("%s=%q: want a scale factor in (0, 1000]", envSF, s)
		}
		c.SF = sf
	}
	c.Label = strconv.FormatFloat(c.SF, 'f', -1, 64)
	c.Dir = getenv(envDir)
	if c.Dir == "" && c.SF == officialSF {
		c.Dir, c.Official = officialDir, true
		return c, nil
	}
	if c.Dir == "" {
		cache := getenv("XDG_CACHE_HOME")
		if cache == "" {
			home := getenv("HOME")
			if home == "" {
				return c, fmt.Errorf("neither %s, XDG_CACHE_HOME nor HOME is set: cannot place the TPC-H data", envDir)
			}
			cache = filepath.Join(home, ".cache")
		}
		c.Dir = filepath.Join(cache, "minisql", "tpch-sf"+c.Label)
	}
	return c, nil
}

// complete reports whether dir holds a Parquet file for every table.
func complete(dir string) bool {
	for _, t := range tpchTables {
		if fi, err := os.Stat(filepath.Join(dir, t+".parquet")); err != nil || !fi.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// ensureData generates the data into c.Dir unless it is already there.
//
// Concurrent `go test` processes may race here. Each generates into a
// private temporary directory next to c.Dir and then renames its files
// into place one by one. A rename is atomic, and the generator is
// deterministic (the files of two runs are byte-identical), so a reader
// sees either no file or a complete one with the same bytes, whoever wins;
// and a process that sees an incomplete set generates it itself.
func ensureData(ctx context.Context, c config) (generated bool, err error) {
	if complete(c.Dir) {
		return false, nil
	}
	if c.Official {
		return false, fmt.Errorf("the official SF0.01 files are missing from %s", c.Dir)
	}
	parent := filepath.Dir(filepath.Clean(c.Dir))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return false, err
	}
	tmp, err := os.MkdirTemp(parent, filepath.Base(c.Dir)+".tmp-")
	if err != nil {
		return false, err
	}
	defer os.RemoveAll(tmp)
	g := operators.NewGroup(ctx)
	_, genErr := tpchgen.Generate(ctx, tmp, tpchgen.Options{SF: c.SF, Mem: memory.NewGoAllocator()}, tpchgen.FormatParquet, g.Go)
	if err := g.Wait(); genErr == nil {
		genErr = err
	}
	if genErr != nil {
		return false, fmt.Errorf("generate TPC-H SF %s into %s: %w", c.Label, tmp, genErr)
	}
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return false, err
	}
	for _, t := range tpchTables {
		name := t + ".parquet"
		if err := os.Rename(filepath.Join(tmp, name), filepath.Join(c.Dir, name)); err != nil {
			return false, err
		}
	}
	return true, nil
}

// tableInfo is the size of one table's input.
type tableInfo struct {
	Rows  int64 // row count from the Parquet footer
	Bytes int64 // Parquet file size
}

// dataset is a directory of TPC-H Parquet files with their sizes.
type dataset struct {
	config
	Tables map[string]tableInfo
}

// openDataset makes sure the data exists and measures it. It also checks
// that the data has the configured scale factor: orders has exactly
// 1,500,000 × SF rows (TPC-H clause 4.2.5).
func openDataset(ctx context.Context, c config) (*dataset, error) {
	if _, err := ensureData(ctx, c); err != nil {
		return nil, err
	}
	eng := engine.Open()
	defer eng.Close()
	if _, err := eng.RegisterDir(c.Dir); err != nil {
		return nil, err
	}
	d := &dataset{config: c, Tables: map[string]tableInfo{}}
	for _, name := range tpchTables {
		t, err := eng.Table(name)
		if err != nil {
			return nil, err
		}
		fi, err := os.Stat(filepath.Join(c.Dir, name+".parquet"))
		if err != nil {
			return nil, err
		}
		d.Tables[name] = tableInfo{Rows: t.Stats().RowCount, Bytes: fi.Size()}
	}
	if got, want := d.Tables["orders"].Rows, int64(1_500_000*c.SF+0.5); got != want {
		return nil, fmt.Errorf("%s: orders has %d rows, want %d for SF %s (set %s to the data's scale factor)", c.Dir, got, want, c.Label, envSF)
	}
	return d, nil
}
