#include "textflag.h"

// Each function compares nbytes*8 values with the constant c, eight a
// step, and stores one byte of results a step. A step finds which values
// are greater than c (g) and equal to it (e); the byte is
//
//	g&gt | e&eq | ^(g|e)&lt
//
// with lt, eq and gt each 0 or 0xff as the operator is true for values
// below, equal to or above c: one loop for all six operators.

// COMBINE leaves the byte in AX from g in AX and e in BX.
#define COMBINE \
	MOVL AX, DX \
	ORL  BX, DX \
	NOTL DX     \
	ANDL R11, DX \
	ANDL R13, AX \
	ANDL R12, BX \
	ORL  BX, AX \
	ORL  DX, AX

#define ARGS \
	MOVQ out+0(FP), DI    \
	MOVQ a+8(FP), SI      \
	MOVQ nbytes+16(FP), CX \
	MOVQ lt+32(FP), R11   \
	MOVQ eq+40(FP), R12   \
	MOVQ gt+48(FP), R13

// func cmpInt32AVX2(out *byte, a *int32, nbytes int, c int64, lt, eq, gt uint64)
TEXT ·cmpInt32AVX2(SB), NOSPLIT, $0-56
	ARGS
	VPBROADCASTD c+24(FP), Y1
	CMPQ CX, $0
	JLE  done32

loop32:
	VMOVDQU   (SI), Y0
	VPCMPGTD  Y1, Y0, Y2
	VPCMPEQD  Y1, Y0, Y3
	VMOVMSKPS Y2, AX
	VMOVMSKPS Y3, BX
	COMBINE
	MOVB AX, (DI)
	ADDQ $32, SI
	INCQ DI
	DECQ CX
	JNZ  loop32

done32:
	VZEROUPPER
	RET

// CMP64 compares the four values in Y0 and the four in Y4 with Y1 and
// leaves g in AX and e in BX.
#define CMP64 \
	VPCMPGTQ  Y1, Y0, Y2 \
	VPCMPEQQ  Y1, Y0, Y3 \
	VPCMPGTQ  Y1, Y4, Y5 \
	VPCMPEQQ  Y1, Y4, Y6 \
	VMOVMSKPD Y2, AX     \
	VMOVMSKPD Y3, BX     \
	VMOVMSKPD Y5, R8     \
	VMOVMSKPD Y6, R9     \
	SHLL      $4, R8     \
	SHLL      $4, R9     \
	ORL       R8, AX     \
	ORL       R9, BX

// func cmpInt64AVX2(out *byte, a *int64, nbytes int, c int64, lt, eq, gt uint64)
TEXT ·cmpInt64AVX2(SB), NOSPLIT, $0-56
	ARGS
	VPBROADCASTQ c+24(FP), Y1
	CMPQ CX, $0
	JLE  done64

loop64:
	VMOVDQU (SI), Y0
	VMOVDQU 32(SI), Y4
	CMP64
	COMBINE
	MOVB AX, (DI)
	ADDQ $64, SI
	INCQ DI
	DECQ CX
	JNZ  loop64

done64:
	VZEROUPPER
	RET

// func cmpNarrowDecimalAVX2(out *byte, a *uint64, nbytes int, c int64, lt, eq, gt uint64)
//
// a holds 128-bit decimals, low word first, all narrow: their low words
// compare as the values do. Two unpacks and two permutes gather eight
// low words into Y0 and Y4.
TEXT ·cmpNarrowDecimalAVX2(SB), NOSPLIT, $0-56
	ARGS
	VPBROADCASTQ c+24(FP), Y1
	CMPQ CX, $0
	JLE  doneDec

loopDec:
	VMOVDQU     (SI), Y0
	VMOVDQU     32(SI), Y2
	VMOVDQU     64(SI), Y4
	VMOVDQU     96(SI), Y5
	VPUNPCKLQDQ Y2, Y0, Y0
	VPUNPCKLQDQ Y5, Y4, Y4
	VPERMQ      $0xd8, Y0, Y0
	VPERMQ      $0xd8, Y4, Y4
	CMP64
	COMBINE
	MOVB AX, (DI)
	ADDQ $128, SI
	INCQ DI
	DECQ CX
	JNZ  loopDec

doneDec:
	VZEROUPPER
	RET
