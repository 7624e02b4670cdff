#include "textflag.h"

// func setBitsAVX2(out *int32, b, valid *byte, nbytes int, lut *[256][8]int32) (k int)
//
// A byte of bits a step: the table's row for the byte holds the positions
// of its set bits (then padding), eight are stored at out[k] plus the
// byte's first position, and k moves on by the byte's population count.
// The store always writes eight: out needs room for k+8.
TEXT ·setBitsAVX2(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ b+8(FP), SI
	MOVQ valid+16(FP), R10
	MOVQ nbytes+24(FP), R9
	MOVQ lut+32(FP), R8

	XORQ   DX, DX                // k
	XORQ   CX, CX                // byte index
	VPXOR  Y1, Y1, Y1            // the byte's first position, in every lane
	MOVL   $8, AX
	MOVD   AX, X2
	VPBROADCASTD X2, Y2
	CMPQ   R9, $0
	JLE    done

loop:
	MOVBLZX (SI)(CX*1), AX
	MOVBLZX (R10)(CX*1), BX
	ANDL    BX, AX
	MOVQ    AX, BX
	SHLQ    $5, BX
	VMOVDQU (R8)(BX*1), Y0
	VPADDD  Y1, Y0, Y0
	VMOVDQU Y0, (DI)(DX*4)
	POPCNTL AX, AX
	ADDQ    AX, DX
	VPADDD  Y2, Y1, Y1
	INCQ    CX
	CMPQ    CX, R9
	JLT     loop

done:
	MOVQ DX, k+40(FP)
	VZEROUPPER
	RET
