def set[X] := (>[x](in[x,X])(in[x,X]))
anchor One[X] := (set[X])
anchor Two[Y] := (set[Y])
