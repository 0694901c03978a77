# includes common.mpl directly and through sub/middle.mpl (spelled ../common.mpl)
include "common.mpl"
include "sub/middle.mpl"
anchor S[X, f] := (&(fn[f, X])(pair[X]))
