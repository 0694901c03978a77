# Binary trees for genlogic: mirror, size and flatten, with the lists they flatten to.
#
# T is inductive with base leaf and constructor node(l, x, r) of three arguments
# (in4[l,x,r,t,node] says node(l, x, r) = t); its elements x are in E, a set with no
# constructors.  The lists over E (append, reverse) and the naturals (for the size)
# are as in lists.mpl.

def function1[f, X, Y] :=
  (&(>[x,y](in2[x,y,f])(&(in[x,X])(in[y,Y])))
  (&(>[x](in[x,X]) !(>[y](in[y,Y]) !(in2[x,y,f])))
    (>[x,y1,y2](&(in2[x,y1,f])(in2[x,y2,f]))(=[y1,y2]))))

def function2[f, X, Y, Z] :=
  (&(>[x,y,z](in3[x,y,z,f])(&(in[x,X])(&(in[y,Y])(in[z,Z]))))
  (&(>[x,y](&(in[x,X])(in[y,Y])) !(>[z](in[z,Z]) !(in3[x,y,z,f])))
    (>[x,y,z1,z2](&(in3[x,y,z1,f])(in3[x,y,z2,f]))(=[z1,z2]))))

# The naturals: z, s injective and never z, induction over s; a + 0 = a, a + s(b) = s(a + b).
def naturals[N, z, s, add] :=
  (&(in[z,N])
  (&(function1[s,N,N])
  (&(>[n](in[n,N]) !(in2[n,z,s]))
  (&(>[n1,n2,m](&(in2[n1,m,s])(in2[n2,m,s]))(=[n1,n2]))
  (&(>[M](&(in[z,M])(>[n,m](&(in[n,M])(in2[n,m,s]))(in[m,M])))(>[n](in[n,N])(in[n,M])))
  (&(function2[add,N,N,N])
  (&(>[a](in[a,N])(in3[a,z,a,add]))
    (>[a,b,c,d,e](&(in2[b,c,s])(&(in3[a,b,d,add])(in2[d,e,s])))(in3[a,c,e,add])))))))))

def function3[f, X, Y, Z, W] :=
  (&(>[x,y,z,w](in4[x,y,z,w,f])(&(in[x,X])(&(in[y,Y])(&(in[z,Z])(in[w,W])))))
  (&(>[x,y,z](&(in[x,X])(&(in[y,Y])(in[z,Z]))) !(>[w](in[w,W]) !(in4[x,y,z,w,f])))
    (>[x,y,z,w1,w2](&(in4[x,y,z,w1,f])(in4[x,y,z,w2,f]))(=[w1,w2]))))

# Lists over E: nil, cons(x, l); cons never gives nil and is injective in both arguments;
# every list is reached from nil by cons (induction, second order over the set M).
def lists[L, E, nil, cons] :=
  (&(in[nil,L])
  (&(function2[cons,E,L,L])
  (&(>[x,l](&(in[x,E])(in[l,L])) !(in3[x,l,nil,cons]))
  (&(>[x1,l1,x2,l2,m](&(in3[x1,l1,m,cons])(in3[x2,l2,m,cons]))(&(=[x1,x2])(=[l1,l2])))
    (>[M](&(in[nil,M])(>[x,l,m](&(in[x,E])(&(in[l,M])(in3[x,l,m,cons])))(in[m,M])))
      (>[l](in[l,L])(in[l,M])))))))

# app(nil, y) = y and app(cons(x, l), y) = cons(x, app(l, y))
def append[L, E, nil, cons, app] :=
  (&(function2[app,L,L,L])
  (&(>[y](in[y,L])(in3[nil,y,y,app]))
    (>[x,l,y,c,d,e](&(in3[x,l,c,cons])(&(in3[l,y,d,app])(in3[x,d,e,cons])))(in3[c,y,e,app]))))

# rev(nil) = nil and rev(cons(x, l)) = app(rev(l), cons(x, nil))
def reverse[L, nil, cons, app, rev] :=
  (&(function1[rev,L,L])
  (&(in2[nil,nil,rev])
    (>[x,l,c,r,u,v](&(in3[x,l,c,cons])(&(in2[l,r,rev])(&(in3[x,nil,u,cons])(in3[r,u,v,app]))))
      (in2[c,v,rev]))))

# Trees over E: leaf, node(l, x, r); node never gives leaf and is injective; every tree
# is reached from leaf by node.
def trees[T, E, leaf, node] :=
  (&(in[leaf,T])
  (&(function3[node,T,E,T,T])
  (&(>[l,x,r](&(in[l,T])(&(in[x,E])(in[r,T]))) !(in4[l,x,r,leaf,node]))
  (&(>[l1,x1,r1,l2,x2,r2,t](&(in4[l1,x1,r1,t,node])(in4[l2,x2,r2,t,node]))
      (&(=[l1,l2])(&(=[x1,x2])(=[r1,r2]))))
    (>[M](&(in[leaf,M])(>[l,x,r,t](&(in[l,M])(&(in[x,E])(&(in[r,M])(in4[l,x,r,t,node]))))
                                   (in[t,M])))
      (>[t](in[t,T])(in[t,M])))))))

# mirror(leaf) = leaf and mirror(node(l, x, r)) = node(mirror(r), x, mirror(l))
def mirroring[T, leaf, node, mirror] :=
  (&(function1[mirror,T,T])
  (&(in2[leaf,leaf,mirror])
    (>[l,x,r,t,a,b,u](&(in4[l,x,r,t,node])(&(in2[l,a,mirror])(&(in2[r,b,mirror])(in4[b,x,a,u,node]))))
      (in2[t,u,mirror]))))

# size(leaf) = 0 and size(node(l, x, r)) = s(size(l) + size(r))
def sizes[N, z, s, add, T, leaf, node, size] :=
  (&(function1[size,T,N])
  (&(in2[leaf,z,size])
    (>[l,x,r,t,a,b,c,d](&(in4[l,x,r,t,node])(&(in2[l,a,size])(&(in2[r,b,size])(&(in3[a,b,c,add])(in2[c,d,s])))))
      (in2[t,d,size]))))

# flatten(leaf) = nil and flatten(node(l, x, r)) = app(flatten(l), cons(x, flatten(r)))
def flattening[T, L, leaf, node, nil, cons, app, flat] :=
  (&(function1[flat,T,L])
  (&(in2[leaf,nil,flat])
    (>[l,x,r,t,a,b,c,d](&(in4[l,x,r,t,node])(&(in2[l,a,flat])(&(in2[r,b,flat])(&(in3[x,b,c,cons])(in3[a,c,d,app])))))
      (in2[t,d,flat]))))

anchor Trees[N, z, s, +, E, L, nil, cons, app, rev, T, leaf, node, mirror, size, flatten] :=
  (&(naturals[N,z,s,+])
  (&(lists[L,E,nil,cons])
  (&(append[L,E,nil,cons,app])
  (&(reverse[L,nil,cons,app,rev])
  (&(trees[T,E,leaf,node])
  (&(mirroring[T,leaf,node,mirror])
  (&(sizes[N,z,s,+,T,leaf,node,size])
    (flattening[T,L,leaf,node,nil,cons,app,flatten]))))))))
