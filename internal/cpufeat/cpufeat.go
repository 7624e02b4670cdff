// Package cpufeat says which vector instructions the machine's CPU has,
// for the packages whose hot loops have assembly kernels (files
// *_amd64.s). Each kernel sits next to the Go loop it replaces, which
// runs where the feature is missing.
package cpufeat

import "golang.org/x/sys/cpu"

// AVX2 reports AVX2 and POPCNT, which every AVX2 CPU also has. It is read
// once: the CPU does not change under a running process.
var AVX2 = cpu.X86.HasAVX2 && cpu.X86.HasPOPCNT

// AVX512 reports the AVX-512 subsets the operators' 512-bit kernels use:
// the foundation, 64-bit multiplies and mask moves (DQ), 512-bit byte and
// word forms (BW), and the 128- and 256-bit forms on the extra registers
// (VL). x/sys/cpu also checks that the OS saves the 512-bit state.
var AVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VL
