def B[X] := (in[X,X])
include "circ_a.mpl"
