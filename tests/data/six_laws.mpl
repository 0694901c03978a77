# The six laws of arithmetic alone, with none of the lemmas their proofs need:
# commutativity and associativity of + and *, and both distributive laws.
theorem add_comm := (>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))
theorem add_assoc :=
  (>[a,b,c,d,e,f,g](&(in3[a,b,d,+])(&(in3[d,c,e,+])(&(in3[b,c,f,+])(in3[a,f,g,+]))))(=[e,g]))
theorem mul_comm := (>[a,b,c](in3[a,b,c,*])(in3[b,a,c,*]))
theorem left_distrib :=
  (>[a,b,c,d,e,f,g,h](&(in3[b,c,d,+])(&(in3[a,d,e,*])(&(in3[a,b,f,*])(&(in3[a,c,g,*])(in3[f,g,h,+])))))(=[e,h]))
theorem right_distrib :=
  (>[a,b,c,d,e,f,g,h](&(in3[a,b,d,+])(&(in3[d,c,e,*])(&(in3[a,c,f,*])(&(in3[b,c,g,*])(in3[f,g,h,+])))))(=[e,h]))
theorem mul_assoc :=
  (>[a,b,c,d,e,f,g](&(in3[a,b,d,*])(&(in3[d,c,e,*])(&(in3[b,c,f,*])(in3[a,f,g,*]))))(=[e,g]))
