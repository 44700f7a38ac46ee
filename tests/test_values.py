"""Records: what a child hands back is plain data, read back trusting nothing in it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from autograder import values
from autograder.values import InvalidRecord, load_record, save_record

RECORD = {"outputs": {"x": {"kind": "tensor", "array": "out.x", "shape": [2, 3]},
                      "flag": {"kind": "tensor", "array": "out.flag", "shape": []}}}


def _saved(tmp_path: Path) -> str:
    path = str(tmp_path / "case")
    save_record(path, RECORD, {"out.x": np.arange(6.0).reshape(3, 2).T,  # not C-contiguous
                               "out.flag": np.array(True)})
    return path


def test_a_record_reads_back_as_written(tmp_path):
    record = load_record(_saved(tmp_path))
    np.testing.assert_array_equal(record["outputs"]["x"]["array"], np.arange(6.0).reshape(3, 2).T)
    assert record["outputs"]["flag"]["array"].shape == () and record["outputs"]["flag"]["array"]
    record["outputs"]["x"]["array"][0, 0] = 1.0  # the judge may write into what it read


@pytest.mark.parametrize("forged, why", [
    ({"shape": [10**9]}, "outside its file"),
    ({"shape": [2**62, 2**62]}, "outside its file"),
    ({"offset": 40}, "outside its file"),
    ({"offset": -1}, "not a list of sizes"),
    ({"shape": [2, "3"]}, "not a list of sizes"),
    ({"dtype": "|O"}, "not plain numbers"),
    ({"dtype": "<M8[s]"}, "not plain numbers"),
    ({"dtype": "no such type"}, "TypeError"),
])
def test_a_forged_array_index_is_refused(tmp_path, forged, why):
    path = _saved(tmp_path)
    head, data = Path(path + ".record").read_bytes().split(b"\n", 1)
    saved = json.loads(head)
    saved["arrays"]["out.x"].update(forged)
    Path(path + ".record").write_bytes(json.dumps(saved).encode() + b"\n" + data)
    with pytest.raises(InvalidRecord, match=why):
        load_record(path)


@pytest.mark.parametrize("text", [b"[]", b'{"record": [], "arrays": {}}', b"not json", b""])
def test_a_record_that_is_not_an_object_is_refused(tmp_path, text):
    path = _saved(tmp_path)
    Path(path + ".record").write_bytes(text)
    with pytest.raises(InvalidRecord):
        load_record(path)


def test_a_record_too_large_is_not_read(tmp_path, monkeypatch):
    path = _saved(tmp_path)
    monkeypatch.setattr(values, "MAX_RECORD_BYTES", 64)
    with pytest.raises(InvalidRecord, match="too large"):
        load_record(path)


def test_no_record_is_refused(tmp_path):
    with pytest.raises(InvalidRecord):
        load_record(str(tmp_path / "none"))
