// Package cpufeat says which vector instructions the machine's CPU has,
// for the packages whose hot loops have assembly kernels (files
// *_amd64.s). Each kernel sits next to the Go loop it replaces, which
// runs where the feature is missing.
package cpufeat

import "golang.org/x/sys/cpu"

// AVX2 reports AVX2 and POPCNT, which every AVX2 CPU also has. It is read
// once: the CPU does not change under a running process.
var AVX2 = cpu.X86.HasAVX2 && cpu.X86.HasPOPCNT
