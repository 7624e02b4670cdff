package engine

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
)

// defaultMemoryShare is the part of the machine's memory one query may
// use unless told otherwise: DuckDB's default of 80%, so that a runaway
// query fails with an error well before the kernel's OOM killer acts.
const defaultMemoryShare = 0.8

// DefaultMemoryLimit is 80% of the memory this process may use: the
// cgroup's limit when there is one (containers), else the machine's RAM.
// It returns 0 (no limit) when neither can be read.
func DefaultMemoryLimit() int64 {
	total := machineMemory()
	if cg := cgroupMemoryLimit(); cg > 0 && (total == 0 || cg < total) {
		total = cg
	}
	return int64(float64(total) * defaultMemoryShare)
}

// machineMemory reads MemTotal from /proc/meminfo.
func machineMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemTotal:" {
			kb, err := strconv.ParseInt(fields[1], 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// cgroupMemoryLimit reads the cgroup v2 (then v1) memory limit; 0 when
// there is none.
func cgroupMemoryLimit() int64 {
	for _, p := range []string{"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
		if err != nil || n <= 0 || n >= 1<<60 { // "max", or v1's "unlimited" sentinel
			continue
		}
		return n
	}
	return 0
}

// byteUnits are the suffixes ParseBytes accepts; as in DuckDB, KB/MB/GB
// are powers of 1000 and KiB/MiB/GiB powers of 1024.
var byteUnits = []struct {
	suffix string
	scale  float64
}{
	{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"tib", 1 << 40},
	{"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"tb", 1e12},
	{"k", 1e3}, {"m", 1e6}, {"g", 1e9}, {"t", 1e12},
	{"bytes", 1}, {"b", 1},
}

// ParseBytes reads a memory size: "2GB", "512 MiB", "1.5gb", a bare
// number of bytes. "0", "none" and "unlimited" mean no limit (0).
func ParseBytes(v string) (int64, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	if s == "none" || s == "unlimited" {
		return 0, nil
	}
	scale := 1.0
	for _, u := range byteUnits {
		if strings.HasSuffix(s, u.suffix) {
			s, scale = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.scale
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 || math.IsNaN(n) || math.IsInf(n, 0) || n*scale >= math.MaxInt64 {
		return 0, fmt.Errorf("expected a size such as 2GB or 512MiB, got %q", v)
	}
	return int64(n * scale), nil
}
