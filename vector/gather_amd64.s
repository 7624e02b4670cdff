#include "textflag.h"

// Gathers dst[i] = src[idx[i]] for elements of 4, 8 and 16 bytes, with a
// prefetch of the element AHEAD indices ahead (see gather.go). An index
// below zero stores a zero element; one at or past n stops the gather and
// returns its position (the caller panics); otherwise they return -1.
//
// GATHER is the loop, for elements of 1<<SHIFT bytes moved with MOVE
// through VAL (ZERO holds a zero element). Labels are local to each TEXT.

#define AHEAD 32

#define GATHER(SHIFT, MOVE, VAL, ZERO) \
	MOVQ dst+0(FP), DI \
	MOVQ src+8(FP), SI \
	MOVQ n+16(FP), DX \
	MOVQ idx_base+24(FP), BX \
	MOVQ idx_len+32(FP), CX \
	XORQ AX, AX \
	MOVQ CX, R9 \
	SUBQ $AHEAD, R9 \
	XORQ R13, R13 \
	PXOR X1, X1 \
loop: \
	CMPQ AX, CX \
	JGE done \
	MOVQ AX, R12 \
	SHLQ $SHIFT, R12 \
	CMPQ AX, R9 \
	JGE load \
	MOVLQSX (AHEAD*4)(BX)(AX*4), R10 \
	SHLQ $SHIFT, R10 \
	PREFETCHT0 (SI)(R10*1) \
load: \
	MOVLQSX (BX)(AX*4), R10 \
	TESTQ R10, R10 \
	JS zero \
	CMPQ R10, DX \
	JAE bad \
	SHLQ $SHIFT, R10 \
	MOVE (SI)(R10*1), VAL \
	MOVE VAL, (DI)(R12*1) \
	INCQ AX \
	JMP loop \
zero: \
	MOVE ZERO, (DI)(R12*1) \
	INCQ AX \
	JMP loop \
bad: \
	MOVQ AX, ret+48(FP) \
	RET \
done: \
	MOVQ $-1, ret+48(FP) \
	RET

// func gather4(dst, src unsafe.Pointer, n int, idx []int32) int
TEXT ·gather4(SB), NOSPLIT, $0-56
	GATHER(2, MOVL, R11, R13)

// func gather8(dst, src unsafe.Pointer, n int, idx []int32) int
TEXT ·gather8(SB), NOSPLIT, $0-56
	GATHER(3, MOVQ, R11, R13)

// func gather16(dst, src unsafe.Pointer, n int, idx []int32) int
TEXT ·gather16(SB), NOSPLIT, $0-56
	GATHER(4, MOVOU, X0, X1)
