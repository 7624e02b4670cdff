package engine

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/minisql/minisql/operators"
	"github.com/minisql/minisql/sqlerr"
)

// Settings are a session's knobs, changed with SET name = value.
type Settings struct {
	// Threads is the number of workers a query may use.
	Threads int
	// BatchSize is the number of rows per record batch.
	BatchSize int
	// StatementTimeout cancels a query that runs longer (0: never).
	StatementTimeout time.Duration
	// MorselRows is the unit of work of in-memory scans (0: the default);
	// tests make it small to run small tables in parallel.
	MorselRows int
	// CancelChecks can be turned off only to measure what the checks cost
	// (BenchmarkCancelOverhead); a query without them cannot be cancelled.
	CancelChecks bool
	// MemoryLimit is the most memory (bytes) one query may hold: its Arrow
	// buffers plus its hash tables, aggregate states and sort permutations.
	// 0 means no limit.
	MemoryLimit int64
	// CPUBounds makes the query's tasks bound each unchecked stretch's
	// time on the CPU (operators.WithCPUBounds), so that a stretch the
	// thread spent preempted is not taken for work. EXPLAIN ANALYZE sets
	// it for its own run; it costs some 2% of a CPU-bound query.
	CPUBounds bool
}

// DefaultSettings uses every core, 8192-row batches and lets a query use
// 80% of the machine's memory.
func DefaultSettings() Settings {
	return Settings{Threads: runtime.GOMAXPROCS(0), BatchSize: 8192, CancelChecks: true, MemoryLimit: DefaultMemoryLimit()}
}

// Set changes one setting by name.
func (s *Settings) Set(name, value string) error {
	bad := func(format string, args ...any) error {
		return sqlerr.New(sqlerr.ErrInvalidSetting, "%s: %s", name, fmt.Sprintf(format, args...))
	}
	switch strings.ToLower(name) {
	case "threads", "worker_threads":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > 1024 {
			return bad("expected a number of threads from 1 to 1024, got %q", value)
		}
		s.Threads = n
	case "batch_size":
		n, err := strconv.Atoi(value)
		if err != nil || n < 1 || n > 1<<20 {
			return bad("expected a batch size from 1 to 1048576, got %q", value)
		}
		s.BatchSize = n
	case "statement_timeout":
		d, err := ParseDuration(value)
		if err != nil {
			return bad("%v", err)
		}
		s.StatementTimeout = d
	case "cancel_checks":
		on, err := strconv.ParseBool(value)
		if err != nil {
			return bad("expected true or false, got %q", value)
		}
		s.CancelChecks = on
	case "memory_limit", "max_memory":
		n, err := ParseBytes(value)
		if err != nil {
			return bad("%v", err)
		}
		s.MemoryLimit = n
	case "morsel_rows":
		n, err := strconv.Atoi(value)
		if err != nil || n < 0 || n > 1<<30 {
			return bad("expected a number of rows, got %q", value)
		}
		s.MorselRows = n
	default:
		return sqlerr.New(sqlerr.ErrInvalidSetting, "unknown setting %q (threads, batch_size, statement_timeout, memory_limit, morsel_rows)", name)
	}
	return nil
}

// Get returns a setting's value as text.
func (s *Settings) Get(name string) (string, error) {
	switch strings.ToLower(name) {
	case "threads", "worker_threads":
		return strconv.Itoa(s.Threads), nil
	case "batch_size":
		return strconv.Itoa(s.BatchSize), nil
	case "statement_timeout":
		return s.StatementTimeout.String(), nil
	case "morsel_rows":
		return strconv.Itoa(s.MorselRows), nil
	case "memory_limit", "max_memory":
		if s.MemoryLimit == 0 {
			return "none", nil
		}
		return operators.FormatBytes(s.MemoryLimit), nil
	}
	return "", sqlerr.New(sqlerr.ErrInvalidSetting, "unknown setting %q", name)
}

// ParseDuration reads "5s", "250ms", "1m" or a bare number of
// milliseconds, as Postgres's statement_timeout does. "0" means none.
func ParseDuration(v string) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("negative duration %q", v)
		}
		return time.Duration(n) * time.Millisecond, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("expected a duration such as 5s or 250ms, got %q", v)
	}
	if d < 0 {
		return 0, fmt.Errorf("negative duration %q", v)
	}
	return d, nil
}
