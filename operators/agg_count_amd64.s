#include "textflag.h"

// func countFourAVX2(out *[4]int64, gids *int32, n int, base int32)
//
// Counts the gids equal to base, base+1, base+2 and base+3 among n (a
// multiple of 8), eight a step: a compare gives -1 in each matching lane,
// and subtracting it counts the lane. Each lane's count fits an int32
// for n below 2^34.
TEXT ·countFourAVX2(SB), NOSPLIT, $0-28
	MOVQ out+0(FP), DI
	MOVQ gids+8(FP), SI
	MOVQ n+16(FP), CX
	MOVL base+24(FP), AX
	MOVD AX, X8
	VPBROADCASTD X8, Y8
	MOVL $1, AX
	MOVD AX, X0
	VPBROADCASTD X0, Y0
	VPADDD Y0, Y8, Y9
	VPADDD Y0, Y9, Y10
	VPADDD Y0, Y10, Y11
	VPXOR Y4, Y4, Y4
	VPXOR Y5, Y5, Y5
	VPXOR Y6, Y6, Y6
	VPXOR Y7, Y7, Y7
	XORQ AX, AX
	CMPQ CX, $0
	JLE  sum

loop:
	VMOVDQU  (SI)(AX*4), Y0
	VPCMPEQD Y8, Y0, Y1
	VPSUBD   Y1, Y4, Y4
	VPCMPEQD Y9, Y0, Y2
	VPSUBD   Y2, Y5, Y5
	VPCMPEQD Y10, Y0, Y3
	VPSUBD   Y3, Y6, Y6
	VPCMPEQD Y11, Y0, Y1
	VPSUBD   Y1, Y7, Y7
	ADDQ     $8, AX
	CMPQ     AX, CX
	JLT      loop

sum:
#define HSUM(acc, xacc, off) \
	VEXTRACTI128 $1, acc, X0 \
	VPADDD       X0, xacc, xacc \
	VPSHUFD      $0x4e, xacc, X0 \
	VPADDD       X0, xacc, xacc \
	VPSHUFD      $0xb1, xacc, X0 \
	VPADDD       X0, xacc, xacc \
	VMOVD        xacc, AX \
	MOVQ         AX, off(DI)
	HSUM(Y4, X4, 0)
	HSUM(Y5, X5, 8)
	HSUM(Y6, X6, 16)
	HSUM(Y7, X7, 24)
	VZEROUPPER
	RET
