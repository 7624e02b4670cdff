#include "textflag.h"

// The qword positions of the low words of eight decimals held in two
// registers of four (VPERMT2Q's index: 0-7 the first, 8-15 the second).
DATA lowWords<>+0(SB)/8, $0
DATA lowWords<>+8(SB)/8, $2
DATA lowWords<>+16(SB)/8, $4
DATA lowWords<>+24(SB)/8, $6
DATA lowWords<>+32(SB)/8, $8
DATA lowWords<>+40(SB)/8, $10
DATA lowWords<>+48(SB)/8, $12
DATA lowWords<>+56(SB)/8, $14
GLOBL lowWords<>(SB), RODATA|NOPTR, $64

// 0 to 7, to test eight selected rows for a run; and the four groups.
DATA iota8<>+0(SB)/4, $0
DATA iota8<>+4(SB)/4, $1
DATA iota8<>+8(SB)/4, $2
DATA iota8<>+12(SB)/4, $3
DATA iota8<>+16(SB)/4, $4
DATA iota8<>+20(SB)/4, $5
DATA iota8<>+24(SB)/4, $6
DATA iota8<>+28(SB)/4, $7
GLOBL iota8<>(SB), RODATA|NOPTR, $32

// LOW loads the low words of rows BX..BX+7 (BX already times 16) of the
// column at col into z.
#define LOW(col, z) \
	VMOVDQU64 (col)(BX*1), z \
	VPERMT2Q  64(col)(BX*1), Z20, z

// GATHER loads the low words of the rows in Y31 (already times 2, for
// 8-byte scaling of 16-byte values) of the column at col into z. The
// gather clears K1 as it completes, so each sets it again.
#define GATHER(col, z) \
	KXNORB     K1, K1, K1 \
	VPGATHERDQ (col)(Y31*8), K1, z

// MAG ORs x ^ x>>63 of each lane of z into m: ternary logic 0xF6 is
// A | (B ^ C) with A the destination.
#define MAG(z, m) \
	VPSRAQ     $63, z, Z29 \
	VPTERNLOGQ $0xF6, Z29, z, m

// ADD4 adds the lanes of z into the accumulators of the four groups, each
// under its group's row mask.
#define ADD4(z, a0, a1, a2, a3) \
	VPADDQ z, a0, K2, a0 \
	VPADDQ z, a1, K3, a1 \
	VPADDQ z, a2, K4, a2 \
	VPADDQ z, a3, K5, a3

// func sumPairAVX512(out *sumPairLanes, sel, gids *int32, n int, cols *[4]*decimal128.Num, c *[3]int64)
//
// For the n (a multiple of 8) selected rows sel[j] in groups gids[j] < 4,
// with x0..x3 the low words of the four columns: adds x0, x1 and x2, p =
// (x1 + c0) * (x2 + c1) and p * (x3 + c2) into the group's lanes, and ORs
// each column's magnitudes. Eight rows a step: a run of eight selected
// rows (nearly every step of a filter keeping most rows) is two loads a
// column, other steps a gather. The products wrap as Go's int64 ones do.
//
// Registers: Z0-Z19 the lanes (measure*4 + group), Z20 lowWords, Z21-Z24
// the columns, Z25-Z28 the magnitudes, Z29-Z31 scratch; K2-K5 the groups'
// rows.
TEXT ·sumPairAVX512(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ sel+8(FP), SI
	MOVQ gids+16(FP), DX
	MOVQ n+24(FP), CX
	MOVQ cols+32(FP), R12
	MOVQ 0(R12), R8
	MOVQ 8(R12), R9
	MOVQ 16(R12), R10
	MOVQ 24(R12), R11
	MOVQ c+40(FP), R12
	VMOVDQU64 lowWords<>(SB), Z20
	VPXORQ Z0, Z0, Z0
	VMOVDQA64 Z0, Z1
	VMOVDQA64 Z0, Z2
	VMOVDQA64 Z0, Z3
	VMOVDQA64 Z0, Z4
	VMOVDQA64 Z0, Z5
	VMOVDQA64 Z0, Z6
	VMOVDQA64 Z0, Z7
	VMOVDQA64 Z0, Z8
	VMOVDQA64 Z0, Z9
	VMOVDQA64 Z0, Z10
	VMOVDQA64 Z0, Z11
	VMOVDQA64 Z0, Z12
	VMOVDQA64 Z0, Z13
	VMOVDQA64 Z0, Z14
	VMOVDQA64 Z0, Z15
	VMOVDQA64 Z0, Z16
	VMOVDQA64 Z0, Z17
	VMOVDQA64 Z0, Z18
	VMOVDQA64 Z0, Z19
	VMOVDQA64 Z0, Z25
	VMOVDQA64 Z0, Z26
	VMOVDQA64 Z0, Z27
	VMOVDQA64 Z0, Z28
	XORQ AX, AX
	CMPQ CX, $0
	JLE  done

loop:
	// Are the eight selected rows a run?
	VMOVDQU32    (SI)(AX*4), Y31
	VPBROADCASTD X31, Y30
	VPADDD       iota8<>(SB), Y30, Y30
	VPCMPEQD     Y31, Y30, K1
	KORTESTB     K1, K1
	JCC          gather
	MOVL         (SI)(AX*4), BX
	SHLQ         $4, BX
	LOW(R8, Z21)
	LOW(R9, Z22)
	LOW(R10, Z23)
	LOW(R11, Z24)
	JMP          add

gather:
	VPSLLD $1, Y31, Y31
	GATHER(R8, Z21)
	GATHER(R9, Z22)
	GATHER(R10, Z23)
	GATHER(R11, Z24)

add:
	MAG(Z21, Z25)
	MAG(Z22, Z26)
	MAG(Z23, Z27)
	MAG(Z24, Z28)
	VMOVDQU32 (DX)(AX*4), Y29
	VPTESTNMD Y29, Y29, K2
	VPCMPEQD.BCST iota8<>+4(SB), Y29, K3
	VPCMPEQD.BCST iota8<>+8(SB), Y29, K4
	VPCMPEQD.BCST iota8<>+12(SB), Y29, K5
	ADD4(Z21, Z0, Z1, Z2, Z3)
	ADD4(Z22, Z4, Z5, Z6, Z7)
	ADD4(Z23, Z8, Z9, Z10, Z11)
	VPADDQ.BCST 0(R12), Z22, Z29
	VPADDQ.BCST 8(R12), Z23, Z30
	VPMULLQ     Z30, Z29, Z29
	ADD4(Z29, Z12, Z13, Z14, Z15)
	VPADDQ.BCST 16(R12), Z24, Z30
	VPMULLQ     Z30, Z29, Z30
	ADD4(Z30, Z16, Z17, Z18, Z19)
	ADDQ        $8, AX
	CMPQ        AX, CX
	JLT         loop

done:
	VMOVDQU64 Z0, 0(DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)
	VMOVDQU64 Z4, 256(DI)
	VMOVDQU64 Z5, 320(DI)
	VMOVDQU64 Z6, 384(DI)
	VMOVDQU64 Z7, 448(DI)
	VMOVDQU64 Z8, 512(DI)
	VMOVDQU64 Z9, 576(DI)
	VMOVDQU64 Z10, 640(DI)
	VMOVDQU64 Z11, 704(DI)
	VMOVDQU64 Z12, 768(DI)
	VMOVDQU64 Z13, 832(DI)
	VMOVDQU64 Z14, 896(DI)
	VMOVDQU64 Z15, 960(DI)
	VMOVDQU64 Z16, 1024(DI)
	VMOVDQU64 Z17, 1088(DI)
	VMOVDQU64 Z18, 1152(DI)
	VMOVDQU64 Z19, 1216(DI)
	VMOVDQU64 Z25, 1280(DI)
	VMOVDQU64 Z26, 1344(DI)
	VMOVDQU64 Z27, 1408(DI)
	VMOVDQU64 Z28, 1472(DI)
	VZEROUPPER
	RET
