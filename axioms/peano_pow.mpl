# Peano arithmetic with exponentiation, a theory the earlier C++ system never explored.
# The anchor of this file (PeanoPow) is the one `genlogic prove` explores.

include "peano.mpl"

# a ^ 0 = 1 and a ^ s(b) = a ^ b * a
def exponentiation[N, z, s, mul, pow, one] :=
  (&(function2[pow,N,N,N])
  (&(>[a](in[a,N])(in3[a,z,one,pow]))
    (>[a,b,c,d,e](&(in2[b,c,s])(&(in3[a,b,d,pow])(in3[d,a,e,mul])))(in3[a,c,e,pow]))))

anchor PeanoPow[N, i0, s, +, *, ^, i1] :=
  (&(NaturalNumbers[N,i0,s,+,*])(&(in2[i0,i1,s])(exponentiation[N,i0,s,*,^,i1])))
