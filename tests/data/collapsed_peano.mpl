# A collapsed copy of axioms/peano.mpl (tests/test_model_quotient.py): the injectivity
# axiom of the successor is replaced by s(s(n)) = s(n), written as s(n) = m -> s(m) = m.
# s(n) != 0, the recursion equations of + and * and the induction axiom are kept, so
# N = {0, 1} with s(0) = s(1) = 1: + is "or" and * is "and" on {0, 1}, and the numerals
# 1, 2, 3, ... are all one element.  a + a = a, a * 1 = a and a * a = a hold in it.

def function1[f, X, Y] :=
  (&(>[x,y](in2[x,y,f])(&(in[x,X])(in[y,Y])))
  (&(>[x](in[x,X]) !(>[y](in[y,Y]) !(in2[x,y,f])))
    (>[x,y1,y2](&(in2[x,y1,f])(in2[x,y2,f]))(=[y1,y2]))))

def function2[f, X, Y, Z] :=
  (&(>[x,y,z](in3[x,y,z,f])(&(in[x,X])(&(in[y,Y])(in[z,Z]))))
  (&(>[x,y](&(in[x,X])(in[y,Y])) !(>[z](in[z,Z]) !(in3[x,y,z,f])))
    (>[x,y,z1,z2](&(in3[x,y,z1,f])(in3[x,y,z2,f]))(=[z1,z2]))))

# Induction, second order over the set variable M: a subset of N that holds z and is
# closed under s is all of N.  The prover uses this axiom, and only this, for induction.
def inductive[N, z, s] :=
  (>[M](&(in[z,M])(>[n,m](&(in[n,M])(in2[n,m,s]))(in[m,M])))(>[n](in[n,N])(in[n,M])))

def successor[N, z, s] :=
  (&(in[z,N])
  (&(function1[s,N,N])
  (&(>[n](in[n,N]) !(in2[n,z,s]))
  (&(>[n,m](in2[n,m,s])(in2[m,m,s]))
    (inductive[N,z,s])))))

# a + 0 = a and a + s(b) = s(a + b)
def addition[N, z, s, add] :=
  (&(function2[add,N,N,N])
  (&(>[a](in[a,N])(in3[a,z,a,add]))
    (>[a,b,c,d,e](&(in2[b,c,s])(&(in3[a,b,d,add])(in2[d,e,s])))(in3[a,c,e,add]))))

# a * 0 = 0 and a * s(b) = a * b + a
def multiplication[N, z, s, add, mul] :=
  (&(function2[mul,N,N,N])
  (&(>[a](in[a,N])(in3[a,z,z,mul]))
    (>[a,b,c,d,e](&(in2[b,c,s])(&(in3[a,b,d,mul])(in3[d,a,e,add])))(in3[a,c,e,mul]))))

def NaturalNumbers[N, z, s, add, mul] :=
  (&(successor[N,z,s])(&(addition[N,z,s,add])(multiplication[N,z,s,add,mul])))

# The structure the theorems are about; i1 names s(i0).
anchor Collapsed[N, i0, s, +, *, i1] := (&(NaturalNumbers[N,i0,s,+,*])(in2[i0,i1,s]))
