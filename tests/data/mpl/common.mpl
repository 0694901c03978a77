# shared by diamond.mpl and sub/middle.mpl
def fn[f, X] := (>[x,y](in2[x,y,f])(&(in[x,X])(in[y,X])))
