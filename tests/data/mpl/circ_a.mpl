# circ_a.mpl includes circ_b.mpl, which includes circ_a.mpl again
include "circ_b.mpl"
def A[X] := (in[X,X])
