//go:build !amd64

package vector

// gatherPrefetch has no loop of its own off amd64: takeFixed's plain one
// does the work.
func gatherPrefetch[T any](_, _ []T, _ []int32) bool { return false }
