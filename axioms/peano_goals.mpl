# Goals for `genlogic prove axioms/peano.mpl --goals axioms/peano_goals.mpl`.
# Each is a statement about the Peano anchor's parameters N, i0, s, +, *, i1.
# Equations l = r are written as: the premises name the subterms of both sides,
# the conclusion equates the two results.  Lemmas come before the laws that use them.

# 0 + a = a
theorem add_zero_left := (>[a,b](in3[i0,a,b,+])(=[b,a]))
# s(a) + b = s(a + b)
theorem add_succ_left :=
  (>[a,b,c,d,e,f](&(in2[a,c,s])(&(in3[c,b,d,+])(&(in3[a,b,e,+])(in2[e,f,s]))))(=[d,f]))
# a + b = b + a   (written with the sum as a shared name)
theorem add_comm := (>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))
# (a + b) + c = a + (b + c)
theorem add_assoc :=
  (>[a,b,c,d,e,f,g](&(in3[a,b,d,+])(&(in3[d,c,e,+])(&(in3[b,c,f,+])(in3[a,f,g,+]))))(=[e,g]))
# 0 * a = 0
theorem mul_zero_left := (>[a,b](in3[i0,a,b,*])(=[b,i0]))
# s(a) * b = a * b + b
theorem mul_succ_left :=
  (>[a,b,c,d,e,f](&(in2[a,c,s])(&(in3[c,b,d,*])(&(in3[a,b,e,*])(in3[e,b,f,+]))))(=[d,f]))
# a * b = b * a
theorem mul_comm := (>[a,b,c](in3[a,b,c,*])(in3[b,a,c,*]))
# a * (b + c) = a * b + a * c
theorem left_distrib :=
  (>[a,b,c,d,e,f,g,h](&(in3[b,c,d,+])(&(in3[a,d,e,*])(&(in3[a,b,f,*])(&(in3[a,c,g,*])(in3[f,g,h,+])))))(=[e,h]))
# (a + b) * c = a * c + b * c
theorem right_distrib :=
  (>[a,b,c,d,e,f,g,h](&(in3[a,b,d,+])(&(in3[d,c,e,*])(&(in3[a,c,f,*])(&(in3[b,c,g,*])(in3[f,g,h,+])))))(=[e,h]))
# (a * b) * c = a * (b * c)
theorem mul_assoc :=
  (>[a,b,c,d,e,f,g](&(in3[a,b,d,*])(&(in3[d,c,e,*])(&(in3[b,c,f,*])(in3[a,f,g,*]))))(=[e,g]))
