#include "textflag.h"

// func dotLanes16(lanes *[16]float32, x, y *float32, blocks int)
//
// lanes[t] += x[16b+t]*y[16b+t] for b = 0…blocks−1 in order, each a
// multiply and an add rounded separately (SSE, in four registers of four
// lanes).
TEXT ·dotLanes16(SB), NOSPLIT, $0-32
	MOVQ   lanes+0(FP), DI
	MOVQ   x+8(FP), SI
	MOVQ   y+16(FP), DX
	MOVQ   blocks+24(FP), CX
	MOVUPS 0(DI), X0
	MOVUPS 16(DI), X1
	MOVUPS 32(DI), X2
	MOVUPS 48(DI), X3
	TESTQ  CX, CX
	JE     done

loop:
	MOVUPS 0(SI), X4
	MOVUPS 0(DX), X8
	MULPS  X8, X4
	ADDPS  X4, X0
	MOVUPS 16(SI), X5
	MOVUPS 16(DX), X9
	MULPS  X9, X5
	ADDPS  X5, X1
	MOVUPS 32(SI), X6
	MOVUPS 32(DX), X10
	MULPS  X10, X6
	ADDPS  X6, X2
	MOVUPS 48(SI), X7
	MOVUPS 48(DX), X11
	MULPS  X11, X7
	ADDPS  X7, X3
	ADDQ   $64, SI
	ADDQ   $64, DX
	DECQ   CX
	JNE    loop

done:
	MOVUPS X0, 0(DI)
	MOVUPS X1, 16(DI)
	MOVUPS X2, 32(DI)
	MOVUPS X3, 48(DI)
	RET
