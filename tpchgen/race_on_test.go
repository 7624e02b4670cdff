//go:build race

package tpchgen

// raceEnabled relaxes latency bounds: the race detector slows code ~10x.
const raceEnabled = true
