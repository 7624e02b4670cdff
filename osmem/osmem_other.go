//go:build !linux

package osmem

// Map returns nil: without anonymous mappings callers use the Go heap.
func Map(int) []byte { return nil }

// Unmap does nothing.
func Unmap([]byte) error { return nil }
