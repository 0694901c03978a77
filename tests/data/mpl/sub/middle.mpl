include "../common.mpl"
def pair[X] := (>[x](in[x,X])(in[x,X]))
