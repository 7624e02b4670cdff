//go:build !race

package tpchgen

const raceEnabled = false
