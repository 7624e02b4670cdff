//go:build !linux

package main

import (
	"errors"
	"time"
)

func watch(time.Duration, time.Duration) stalls {
	return stalls{err: errors.New("needs Linux (getrusage RUSAGE_THREAD)")}
}
