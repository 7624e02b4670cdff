//go:build !linux

package parquetsrc

import "os"

// willNeed is advice the OS is not given here.
func willNeed(*os.File, int64, int64) {}
