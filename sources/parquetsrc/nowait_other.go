//go:build !linux

package parquetsrc

import "os"

// cachedFrom is nil where the OS has no read that refuses to wait: the
// reader reads as before.
func cachedFrom(*os.File) cachedReader { return nil }
