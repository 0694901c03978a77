# Finite lists for genlogic: append, length, reverse and map over a function argument.
#
# Three kinds of set appear, and genlogic tells them apart from the axioms alone:
#   N  the natural numbers, inductive (base z, constructor s), for lengths;
#   L  the lists, inductive (base nil, constructor cons) over elements of E;
#   E  the elements, a set with no constructors (a parameter: any set will do);
#   F  functions from E to E, used only through the apply operator ap.
# Functions are relations as in peano.mpl: in2[x,y,f] says f(x) = y and
# in3[x,y,z,f] says f(x,y) = z.

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

# len(nil) = 0 and len(cons(x, l)) = s(len(l))
def length[N, z, s, L, nil, cons, len] :=
  (&(function1[len,L,N])
  (&(in2[nil,z,len])
    (>[x,l,c,n,m](&(in3[x,l,c,cons])(&(in2[l,n,len])(in2[n,m,s])))(in2[c,m,len]))))

# rev(nil) = nil and rev(cons(x, l)) = app(rev(l), cons(x, nil))
def reverse[L, nil, cons, app, rev] :=
  (&(function1[rev,L,L])
  (&(in2[nil,nil,rev])
    (>[x,l,c,r,u,v](&(in3[x,l,c,cons])(&(in2[l,r,rev])(&(in3[x,nil,u,cons])(in3[r,u,v,app]))))
      (in2[c,v,rev]))))

# ap(f, x) applies a function of F to an element; map(f, nil) = nil and
# map(f, cons(x, l)) = cons(ap(f, x), map(f, l))
def mapping[E, L, F, nil, cons, ap, map] :=
  (&(function2[ap,F,E,E])
  (&(function2[map,F,L,L])
  (&(>[f](in[f,F])(in3[f,nil,nil,map]))
    (>[f,x,l,c,y,k,r](&(in3[x,l,c,cons])(&(in3[f,x,y,ap])(&(in3[f,l,k,map])(in3[y,k,r,cons]))))
      (in3[f,c,r,map])))))

anchor Lists[N, z, s, +, E, L, nil, cons, app, len, rev, F, ap, map] :=
  (&(naturals[N,z,s,+])
  (&(lists[L,E,nil,cons])
  (&(append[L,E,nil,cons,app])
  (&(length[N,z,s,L,nil,cons,len])
  (&(reverse[L,nil,cons,app,rev])
    (mapping[E,L,F,nil,cons,ap,map]))))))
