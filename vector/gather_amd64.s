#include "textflag.h"

// Gathers dst[i] = src[idx[i]] for elements of 4, 8 and 16 bytes, with a
// prefetch of the element 32 indices ahead (see gather.go). An index below
// zero stores a zero element; one at or past n stops the gather and
// returns its position (the caller panics); otherwise they return -1.

#define AHEAD 32

// func gather4(dst, src unsafe.Pointer, n int, idx []int32) int
TEXT ·gather4(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ idx_base+24(FP), BX
	MOVQ idx_len+32(FP), CX
	XORQ AX, AX
	MOVQ CX, R9
	SUBQ $AHEAD, R9
loop4:
	CMPQ AX, CX
	JGE done4
	CMPQ AX, R9
	JGE load4
	MOVLQSX (AHEAD*4)(BX)(AX*4), R10
	PREFETCHT0 (SI)(R10*4)
load4:
	MOVLQSX (BX)(AX*4), R10
	TESTQ R10, R10
	JS zero4
	CMPQ R10, DX
	JAE bad4
	MOVL (SI)(R10*4), R11
	MOVL R11, (DI)(AX*4)
	INCQ AX
	JMP loop4
zero4:
	MOVL $0, (DI)(AX*4)
	INCQ AX
	JMP loop4
bad4:
	MOVQ AX, ret+48(FP)
	RET
done4:
	MOVQ $-1, ret+48(FP)
	RET

// func gather8(dst, src unsafe.Pointer, n int, idx []int32) int
TEXT ·gather8(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ idx_base+24(FP), BX
	MOVQ idx_len+32(FP), CX
	XORQ AX, AX
	MOVQ CX, R9
	SUBQ $AHEAD, R9
loop8:
	CMPQ AX, CX
	JGE done8
	CMPQ AX, R9
	JGE load8
	MOVLQSX (AHEAD*4)(BX)(AX*4), R10
	PREFETCHT0 (SI)(R10*8)
load8:
	MOVLQSX (BX)(AX*4), R10
	TESTQ R10, R10
	JS zero8
	CMPQ R10, DX
	JAE bad8
	MOVQ (SI)(R10*8), R11
	MOVQ R11, (DI)(AX*8)
	INCQ AX
	JMP loop8
zero8:
	MOVQ $0, (DI)(AX*8)
	INCQ AX
	JMP loop8
bad8:
	MOVQ AX, ret+48(FP)
	RET
done8:
	MOVQ $-1, ret+48(FP)
	RET

// func gather16(dst, src unsafe.Pointer, n int, idx []int32) int
TEXT ·gather16(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ idx_base+24(FP), BX
	MOVQ idx_len+32(FP), CX
	XORQ AX, AX
	MOVQ CX, R9
	SUBQ $AHEAD, R9
	PXOR X1, X1
loop16:
	CMPQ AX, CX
	JGE done16
	MOVQ AX, R12
	SHLQ $4, R12
	CMPQ AX, R9
	JGE load16
	MOVLQSX (AHEAD*4)(BX)(AX*4), R10
	SHLQ $4, R10
	PREFETCHT0 (SI)(R10*1)
load16:
	MOVLQSX (BX)(AX*4), R10
	TESTQ R10, R10
	JS zero16
	CMPQ R10, DX
	JAE bad16
	SHLQ $4, R10
	MOVOU (SI)(R10*1), X0
	MOVOU X0, (DI)(R12*1)
	INCQ AX
	JMP loop16
zero16:
	MOVOU X1, (DI)(R12*1)
	INCQ AX
	JMP loop16
bad16:
	MOVQ AX, ret+48(FP)
	RET
done16:
	MOVQ $-1, ret+48(FP)
	RET
