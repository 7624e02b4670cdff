package vector

import "fmt"

// Gathers of fixed-width values (takeFixed) prefetch on amd64: the loop
// asks for the element 32 indices ahead before it copies the current one.
// A filter's later stages and a join's probe gather scattered rows of
// columns far larger than the caches; a plain loop waits on each miss with
// few others in flight (the loads fill the reorder window), a prefetch
// retires at once. On the CI machines it took a 16-byte gather of 15% of
// a column's rows from 7.6 to 3.3 ns a value, and of 4% from 11.3 to 4.4
// (vector's BenchmarkGather). Go has no prefetch intrinsic, hence the
// assembly.

func indexError(i, n int) string {
	return fmt.Sprintf("vector.Take: index %d out of range [0:%d]", i, n)
}
