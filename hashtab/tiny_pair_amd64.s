#include "textflag.h"

// func tinyBytePairAVX2(codes *uint32, offsA, offsB *int32, a, b *byte, n int) (bad uint32)
//
// Eight rows a step. For each column it XORs offs[i+1..i+8] with the
// offsets one-byte values would have (offs[0]+i+1..), ORs the bytes, and
// writes (1+a)*130 + 1+b = a<<7 + a<<1 + b + 131. bad is the OR of every
// offset difference and of every byte shifted right by 7: zero when all n
// rows (a multiple of 8) are one ASCII byte in both columns.
TEXT ·tinyBytePairAVX2(SB), NOSPLIT, $0-52
	MOVQ codes+0(FP), DI
	MOVQ offsA+8(FP), SI
	MOVQ offsB+16(FP), R8
	MOVQ a+24(FP), R9
	MOVQ b+32(FP), R10
	MOVQ n+40(FP), CX

	// Y10, Y11: the offsets expected next, offs[0]+1+lane.
	VPBROADCASTD (SI), Y10
	VPBROADCASTD (R8), Y11
	VMOVDQU      tinyIota<>(SB), Y0
	VPADDD       Y0, Y10, Y10
	VPADDD       Y0, Y11, Y11
	VPBROADCASTD tinyEight<>(SB), Y13
	VPBROADCASTD tinyBias<>(SB), Y15
	VPXOR        Y12, Y12, Y12 // offset differences
	VPXOR        Y14, Y14, Y14 // bytes

	XORQ AX, AX
	CMPQ CX, $0
	JLE  done

loop:
	VMOVDQU   4(SI)(AX*4), Y0
	VPXOR     Y0, Y10, Y0
	VPOR      Y0, Y12, Y12
	VMOVDQU   4(R8)(AX*4), Y1
	VPXOR     Y1, Y11, Y1
	VPOR      Y1, Y12, Y12
	VPADDD    Y13, Y10, Y10
	VPADDD    Y13, Y11, Y11
	VPMOVZXBD (R9)(AX*1), Y2
	VPMOVZXBD (R10)(AX*1), Y3
	VPOR      Y2, Y14, Y14
	VPOR      Y3, Y14, Y14
	VPSLLD    $7, Y2, Y4
	VPSLLD    $1, Y2, Y5
	VPADDD    Y4, Y5, Y4
	VPADDD    Y3, Y4, Y4
	VPADDD    Y15, Y4, Y4
	VMOVDQU   Y4, (DI)(AX*4)
	ADDQ      $8, AX
	CMPQ      AX, CX
	JLT       loop

done:
	VPSRLD       $7, Y14, Y14
	VPOR         Y14, Y12, Y12
	VEXTRACTI128 $1, Y12, X0
	VPOR         X0, X12, X12
	VPSHUFD      $0x4e, X12, X0
	VPOR         X0, X12, X12
	VPSHUFD      $0xb1, X12, X0
	VPOR         X0, X12, X12
	VMOVD        X12, AX
	MOVL         AX, bad+48(FP)
	VZEROUPPER
	RET

DATA tinyIota<>+0(SB)/4, $1
DATA tinyIota<>+4(SB)/4, $2
DATA tinyIota<>+8(SB)/4, $3
DATA tinyIota<>+12(SB)/4, $4
DATA tinyIota<>+16(SB)/4, $5
DATA tinyIota<>+20(SB)/4, $6
DATA tinyIota<>+24(SB)/4, $7
DATA tinyIota<>+28(SB)/4, $8
GLOBL tinyIota<>(SB), RODATA|NOPTR, $32

DATA tinyEight<>+0(SB)/4, $8
GLOBL tinyEight<>(SB), RODATA|NOPTR, $4

DATA tinyBias<>+0(SB)/4, $131
GLOBL tinyBias<>(SB), RODATA|NOPTR, $4
