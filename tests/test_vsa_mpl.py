"""MPL encoding: alpha-invariance and the roles of premise and conclusion."""

import numpy as np
import pytest

from genlogic.mpl.parser import parse_expr
from genlogic.vsa import Encoder


@pytest.fixture(scope="module")
def encoder():
    return Encoder(dim=1024)


def cos(a, b):
    return float(np.dot(a.astype(np.float64), b))


ALPHA_VARIANTS = [
    # renamed bound variables
    ("(>[a,b,c](in3[a,b,c,+])(in3[b,a,c,+]))", "(>[x,y,z](in3[x,y,z,+])(in3[y,x,z,+]))"),
    # reordered and regrouped conjunctions
    ("(>[a,b](&(p[a])(&(q[a,b])(r[b])))(s[a,b]))", "(>[u,v](&(&(r[v])(p[u]))(q[u,v]))(s[u,v]))"),
    # reordered binder list
    ("(>[a,b](&(p[a])(q[a,b]))(r[a,b]))", "(>[v,u](&(q[u,v])(p[u]))(r[u,v]))"),
    # nested binders, one name reused in an inner scope
    ("(>[a](in[a,N])(>[b](in[b,N])(in3[a,b,a,+])))", "(>[m](in[m,N])(>[m2](in[m2,N])(in3[m,m2,m,+])))"),
]


@pytest.mark.parametrize("left,right", ALPHA_VARIANTS)
def test_alpha_variants_get_the_same_vector(encoder, left, right):
    a, b = encoder.encode_mpl(left), encoder.encode_mpl(right)
    assert abs(cos(a, b) - 1) < 1e-6
    assert np.array_equal(a, b)


def test_swapping_premise_and_conclusion_changes_the_vector(encoder):
    forward = encoder.encode_mpl("(>[a,b](in3[a,b,i0,+])(eq[a,b]))")
    backward = encoder.encode_mpl("(>[a,b](eq[a,b])(in3[a,b,i0,+]))")
    assert cos(forward, backward) < 0.9


def test_free_constants_are_encoded_by_identity(encoder):
    plus = encoder.encode_mpl("(>[a,b](in3[a,b,c,+])(in3[b,a,c,+]))")
    times = encoder.encode_mpl("(>[a,b](in3[a,b,c,*])(in3[b,a,c,*]))")
    assert cos(plus, times) < 0.95
    assert cos(plus, times) > 0.2  # same shape, so still related


def test_argument_structure_matters(encoder):
    a = encoder.encode_mpl("(>[a,b](p[a,b])(q[a,b]))")
    b = encoder.encode_mpl("(>[a,b](p[a,b])(q[b,a]))")
    assert cos(a, b) < 0.99


def test_text_and_node_give_the_same_vector(encoder):
    text = "(>[a](in[a,N])!(eq[a,i0]))"
    assert np.array_equal(encoder.encode_mpl(text), encoder.encode_mpl(parse_expr(text)))
    assert abs(np.linalg.norm(encoder.encode_mpl(text)) - 1) < 1e-5
