package parquetsrc

import (
	"errors"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/decimal128"
	"github.com/apache/arrow/go/v17/parquet/metadata"
)

// ColumnStats are the statistics of one column chunk (a column in a row
// group), with Min and Max as engine-typed Go values: int64, float64,
// decimal128.Num (at the column's scale), string, arrow.Date32,
// arrow.Timestamp (microseconds) or bool.
type ColumnStats struct {
	// Rows is the number of rows of the row group, NULLs included.
	Rows int64
	// HasNullCount says whether NullCount is known.
	HasNullCount bool
	NullCount    int64
	// HasMinMax says whether Min and Max are known. They are absent when the
	// writer wrote none, when the writer is known to have written wrong ones
	// (old parquet-mr string statistics), when the column holds only NULLs,
	// for NaN bounds, for bounds out of order, and for unsigned integer
	// columns (arrow-go v17 itself writes a wrong max for them).
	HasMinMax bool
	Min, Max  any
}

// Stats returns the statistics of column col (an index into Schema) in row
// group rg. Both indices must be in range.
func (f *File) Stats(rg, col int) ColumnStats { return f.stats[rg][col] }

// readStats decodes the statistics of every column of a row group. A chunk
// whose statistics cannot be decoded simply has none: statistics only ever
// allow skipping work, so losing them is safe.
func (f *File) readStats(rg int) []ColumnStats {
	rgm := f.meta.RowGroup(rg)
	out := make([]ColumnStats, len(f.cols))
	for i, c := range f.cols {
		out[i] = ColumnStats{Rows: f.rgRows[rg]}
		cc, err := rgm.ColumnChunk(c.leaf)
		if err != nil {
			continue
		}
		st, err := safeStatistics(cc)
		if err != nil || st == nil {
			continue
		}
		if st.HasNullCount() {
			out[i].HasNullCount, out[i].NullCount = true, st.NullCount()
		}
		if st.HasMinMax() {
			// Bounds out of order are wrong; using them could drop rows.
			if lo, hi, ok := statBounds(c, st); ok && cmpAtMost(lo, hi, 0) {
				out[i].HasMinMax, out[i].Min, out[i].Max = true, lo, hi
			}
		}
	}
	return out
}

// safeStatistics is cc.Statistics under recover: corrupt statistics must
// not fail the file.
func safeStatistics(cc *metadata.ColumnChunkMetaData) (st metadata.TypedStatistics, err error) {
	defer func() {
		if r := recover(); r != nil {
			st, err = nil, errBadStats
		}
	}()
	return cc.Statistics()
}

var errBadStats = errors.New("corrupt statistics")

// statBounds converts the physical min/max of a chunk to engine values.
func statBounds(c column, st metadata.TypedStatistics) (lo, hi any, ok bool) {
	switch s := st.(type) {
	case *metadata.Int32Statistics:
		switch c.conv {
		case convInt32:
			return int64(s.Min()), int64(s.Max()), true
		case convDate32:
			return arrow.Date32(s.Min()), arrow.Date32(s.Max()), true
		case convDecInt32:
			return decimal128.FromI64(int64(s.Min())), decimal128.FromI64(int64(s.Max())), true
		}
	case *metadata.Int64Statistics:
		switch c.conv {
		case convInt64:
			return s.Min(), s.Max(), true
		case convDecInt64:
			return decimal128.FromI64(s.Min()), decimal128.FromI64(s.Max()), true
		case convTsMicros, convTsMillis, convTsNanos:
			b := []int64{s.Min(), s.Max()}
			if scaleTimestamps(c.conv, b) != nil {
				return nil, nil, false
			}
			return arrow.Timestamp(b[0]), arrow.Timestamp(b[1]), true
		}
	case *metadata.Float32Statistics:
		lo, hi := float64(s.Min()), float64(s.Max())
		return floatBounds(lo, hi)
	case *metadata.Float64Statistics:
		return floatBounds(s.Min(), s.Max())
	case *metadata.BooleanStatistics:
		return s.Min(), s.Max(), true
	case *metadata.ByteArrayStatistics:
		switch c.conv {
		case convString:
			return string(s.Min()), string(s.Max()), true
		case convDecBinary:
			return decimalBounds(s.Min(), s.Max())
		}
	case *metadata.FixedLenByteArrayStatistics:
		if c.conv == convDecFixed {
			return decimalBounds(s.Min(), s.Max())
		}
	}
	return nil, nil, false
}

func floatBounds(lo, hi float64) (any, any, bool) {
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return nil, nil, false
	}
	// The Parquet spec lets writers store a zero bound with either sign;
	// widening them makes -0 <= x <= +0 hold for every zero.
	if lo == 0 {
		lo = math.Copysign(0, -1)
	}
	if hi == 0 {
		hi = 0
	}
	return lo, hi, true
}

func decimalBounds(lo, hi []byte) (any, any, bool) {
	if len(lo) < 1 || len(lo) > 16 || len(hi) < 1 || len(hi) > 16 {
		return nil, nil, false
	}
	return decimalFromBigEndian(lo), decimalFromBigEndian(hi), true
}
