package operators

import "github.com/apache/arrow/go/v17/arrow"

// frameKernel turns the frames of a chunk of consecutive rows (the first
// rows of the input not yet done) into their results.
type frameKernel interface {
	chunk(t *Task, los, his []int64) (arrow.Array, error)
}

// framed returns a call's result over its frame per row, in chunks of
// peerChunk rows, each made pieceRows rows between checks (inPieces).
func (w *Window) framed(t *Task, c WindowCall) ([]arrow.Array, error) {
	fb, err := w.newFrameBounds(t, *c.Frame)
	if err != nil {
		return nil, err
	}
	var kernel frameKernel
	aux := fb.keys.bytes()
	switch c.Func {
	case "count_star", "count", "sum", "avg":
		k, err := w.newSumKernel(t, c)
		if err != nil {
			return nil, err
		}
		kernel, aux = k, aux+k.bytes()
	case "var_samp", "variance", "var_pop", "stddev", "stddev_samp", "stddev_pop":
		k, err := w.newMomentsKernel(t, c)
		if err != nil {
			return nil, err
		}
		kernel, aux = k, aux+k.bytes()
	case "product":
		k, err := w.newProductKernel(t, c)
		if err != nil {
			return nil, err
		}
		kernel, aux = k, aux+k.bytes()
	case "skewness", "kurtosis":
		k, err := w.newSkewKernel(t, c)
		if err != nil {
			return nil, err
		}
		kernel, aux = k, aux+k.bytes()
	case "bool_and", "every", "bool_or":
		k, err := w.newBoolKernel(t, c)
		if err != nil {
			return nil, err
		}
		kernel, aux = k, aux+k.bytes()
	case "quantile_cont", "quantile_disc":
		k, bytes, err := w.newQuantileKernel(t, c)
		if err != nil {
			return nil, err
		}
		kernel, aux = k, aux+bytes
	default:
		kernel = w.newPickKernel(c)
	}
	// The prefix sums, trees and keys live until the call is done.
	w.goMem.set(t, w.idx.bytes()+aux, w.arrowBytes)
	defer w.goMem.set(t, w.idx.bytes(), w.arrowBytes)
	rows := int64(w.idx.part.Len())
	los, his := make([]int64, peerChunk), make([]int64, peerChunk)
	var out []arrow.Array
	for from := int64(0); from < rows; from += peerChunk {
		n := int(min(rows-from, peerChunk))
		for i := range n {
			los[i], his[i] = fb.next(from + int64(i))
		}
		// The kernels keep state from one row to the next (a sliding
		// maximum's deque): the pieces go in order.
		a, err := inPieces(t, n, pieceRows, func(from, to int) (arrow.Array, error) {
			return kernel.chunk(t, los[from:to], his[from:to])
		})
		if err == nil {
			out = append(out, a)
			// Bounds, a kernel's lookups and a gather: a few units a row.
			err = t.Spend(4 * n)
		}
		if err != nil {
			releaseArrays(out)
			return nil, err
		}
	}
	return out, nil
}
