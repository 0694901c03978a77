# the included file does not exist
def A[X] := (in[X,X])
  include "no_such_file.mpl"
