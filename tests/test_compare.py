"""The comparison report reads like torch.testing's: counts, greatest differences, where."""

import numpy as np

from autograder.compare import Tolerance, describe_nonfinite, mismatch


def test_close_arrays_pass():
    a = np.array([1.0, 2.0, 3.0])
    assert mismatch(a + 1e-7, a, Tolerance()) is None


def test_report_names_counts_differences_and_index():
    expected = np.zeros((2, 3))
    actual = expected.copy()
    actual[1, 2] = 0.5
    report = mismatch(actual, expected, Tolerance(rtol=1e-4, atol=1e-5))
    assert "Mismatched elements: 1 / 6 (16.7%)" in report
    assert "Greatest absolute difference: 0.5 at index (1, 2) (up to 1e-05 allowed)" in report
    assert "got 0.5, expected 0" in report


def test_hidden_report_reveals_no_values():
    report = mismatch(np.array([1.0, 5.0]), np.array([1.0, 2.0]), Tolerance(), reveal=False)
    assert report == "Mismatched elements: 1 / 2 (50.0%)"


def test_shape_mismatch():
    assert mismatch(np.zeros((3, 1)), np.zeros(3), Tolerance()) == "shape (3, 1), expected (3,)"


def test_nonfinite_values_are_named():
    message = describe_nonfinite(np.array([np.nan, 1.0, np.inf]), np.array([0.0, 1.0, 2.0]))
    assert "1 NaN and 1 inf" in message and "index (0,)" in message
    assert describe_nonfinite(np.array([np.inf]), np.array([np.inf])) is None


def test_relations_name_the_usual_culprits():
    from autograder.compare import relation

    expected = np.array([1.0, -2.0, 3.0])
    assert relation(-expected, expected, Tolerance()) == "every value has the opposite sign"
    assert "4 times the expected" in relation(4 * expected, expected, Tolerance())
    assert "same constant 0.9189" in relation(expected + 0.9189385, expected, Tolerance())
    assert relation(expected + np.array([0.0, 1.0, 0.0]), expected, Tolerance()) is None
