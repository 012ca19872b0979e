"""lib.checks: failures carry actionable messages; only real data is accepted."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch

from lib import checks


def _message(fn, *args, **kwargs) -> str:
    with pytest.raises(checks.CheckFailed) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_check_close_passes_and_reports_expected_got_error_and_tolerance():
    checks.check_close("out", np.array([1.0, 2.0]), [1.0, 2.0 + 1e-12])
    text = _message(
        checks.check_close, "scores", np.array([1.0, 5.0]), [1.0, 2.0], tol=1e-7
    )
    assert "scores:" in text and "exceeds the tolerance 1e-07" in text
    assert "index (1,): expected 2.0, got 5.0" in text


@pytest.mark.parametrize(
    ("got", "hint"),
    [
        (np.array([[1.0, 3.0], [2.0, 4.0]]), "transpose"),
        (np.array([[-1.0, -2.0], [-3.0, -4.0]]), "wrong sign"),
        (np.array([[1.0, 4.0], [9.0, 16.0]]), "missing sqrt"),
        (np.array([[0.5, 1.0], [1.5, 2.0]]), "0.5 times"),
    ],
)
def test_check_close_recognises_common_mistakes(got, hint):
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert hint in _message(checks.check_close, "x", got, expected)


@pytest.mark.parametrize(
    ("got", "expected"),
    [
        (31.6, 1.0),  # noam_schedule with min and max swapped
        (0.3, 0.7),  # dropout's p taken as the drop probability
        (16.0, 4.0),  # a single number that happens to be a square
        ([0.0, 6.0], [0.0, 2.0]),  # one non-zero value is no evidence either
    ],
)
def test_one_number_gets_no_guessed_factor_or_power(got, expected):
    text = _message(checks.check_close, "x", np.array(got), np.array(expected))
    assert "times the expected" not in text and "sqrt" not in text


def test_shape_and_dtype_messages():
    text = _message(checks.check_shape, "dists", np.zeros((3, 2)), (2, 3))
    assert "expected shape (2, 3), got (3, 2)" in text and "swapped" in text
    assert "integer" in _message(checks.check_dtype, "y", np.zeros(3), "integer")


def test_nan_is_reported_not_passed():
    text = _message(checks.check_close, "d", np.array([np.nan, 1.0]), [0.0, 1.0])
    assert "NaN" in text and "sqrt" in text


def test_atol_treats_rounding_noise_near_zero_as_equal():
    checks.check_close("d", np.array([1e-6, 3.0]), [0.0, 3.0], atol=1e-3)
    _message(checks.check_close, "d", np.array([1e-6, 3.0]), [0.0, 3.0])


class _EqualsEverything:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.array([1.0, 2.0])


class _Sneaky(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, bool)


@pytest.mark.parametrize(
    "value",
    [
        _EqualsEverything(),
        np.array([1.0, 2.0]).view(_Sneaky),
        "1.0",
        None,
        [1.0, _EqualsEverything()],
        np.array([1, 2], dtype=object),
    ],
)
def test_only_real_arrays_and_numbers_are_accepted(value):
    """Objects that could fake a comparison are refused before any comparison."""
    text = _message(checks.check_close, "answer", value, np.array([1.0, 2.0]))
    assert "answer" in text


def test_accepts_numbers_lists_and_tensors():
    checks.check_close("n", 3, 3.0)
    checks.check_close("n", np.float32(0.5), 0.5, tol=1e-6)
    checks.check_close("l", [1.0, 2.0], np.array([1.0, 2.0]))
    checks.check_close("t", torch.tensor([1.0, 2.0], dtype=torch.float64), [1.0, 2.0])
    checks.check_equal("labels", np.array([1, 2]), [1, 2])
    assert "1 of 2 entries differ" in _message(
        checks.check_equal, "labels", np.array([1, 3]), [1, 2]
    )


def test_warnings_never_fail_a_correct_answer():
    """Even with warnings turned into errors, a correct answer passes."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        checks.check_close("x", np.array([np.inf, 1.0]), np.array([np.inf, 1.0]))
        checks.check_close("x", np.array([0.0, 1.0]), np.array([0.0, 1.0]), atol=1e-3)


def test_check_gradient():
    x = np.random.default_rng(0).normal(size=(3, 2))
    checks.check_gradient("d sum(x^3)", lambda a: np.sum(a**3), x, 3 * x**2)
    text = _message(checks.check_gradient, "dx", lambda a: np.sum(a**3), x, x**2)
    assert "numerical gradient" in text
    checks.check_gradient("dx", np.sin, x, np.cos(x) * 2.0, dout=2.0 * np.ones_like(x))


def test_substitute_restores_names():
    namespace = {"f": 1}
    with checks.substitute(namespace, f=2, g=3):
        assert namespace == {"f": 2, "g": 3}
    assert namespace == {"f": 1}


def test_with_references_swaps_in_the_named_entries_only():
    namespace = {"forward": "mine", "backward": "mine"}
    references = {"forward": "ref", "backward": "ref"}
    with checks.with_references(namespace, references, "forward"):
        assert namespace == {"forward": "ref", "backward": "mine"}
    with checks.with_references(namespace, references):
        assert namespace == {"forward": "ref", "backward": "ref"}
    assert namespace == {"forward": "mine", "backward": "mine"}
    with pytest.raises(KeyError, match="loss not in this notebook's REFERENCES"):
        checks.with_references(namespace, references, "loss")


def test_check_number():
    checks.check_number("loss", np.float64(2.0), 2.0)
    assert "expected a number" in _message(checks.check_number, "loss", True, 1.0)


def test_check_gradient_atol_accepts_a_zero_gradient_with_rounding_noise():
    x = np.array([1.0, 2.0])
    checks.check_gradient("g", lambda v: 3.0, x, np.array([1e-12, 0.0]), atol=1e-9)
    with pytest.raises(checks.CheckFailed):
        checks.check_gradient("g", lambda v: 3.0, x, np.array([1e-3, 0.0]), atol=1e-9)


def test_passed_names_the_answer_and_the_device(capsys):
    checks.passed("affine_forward")
    checks.passed("flatten", "cpu")
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "affine_forward: all visible tests passed.",
        "flatten: all visible tests passed on cpu.",
    ]


def test_check_autograd_reports_a_wrong_gradient_in_the_course_words():
    x = torch.randn(3, dtype=torch.float64, requires_grad=True)
    checks.check_autograd("sum of squares", lambda a: (a * a).sum(), (x,))
    text = _message(
        checks.check_autograd, "half-detached", lambda a: (a * a.detach()).sum(), (x,)
    )
    assert "the gradient of half-detached" in text
    assert "differs from a numerical gradient" in text and "no .detach()" in text
    text = _message(
        checks.check_autograd, "detached", lambda a: a.detach().sum() * 1.0, (x,)
    )
    assert "the gradient of detached" in text


def test_a_failed_check_shows_the_test_line_and_message_without_lib_frames():
    with pytest.raises(checks.CheckFailed) as info:
        checks.check_close("out", np.array([1.0, 4.0]), [1.0, 2.0], hint="a sqrt?")
    shown = info.value._render_traceback_()
    assert shown[0].startswith("Test failed at line ")
    assert shown[0].endswith(
        'checks.check_close("out", np.array([1.0, 4.0]), [1.0, 2.0], hint="a sqrt?")'
    )
    assert shown[1].startswith("CheckFailed: out:") and "Hint: a sqrt?" in shown[1]
    assert not any("lib/checks.py" in line for line in shown)
