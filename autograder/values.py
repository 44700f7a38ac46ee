"""Turn whatever a function returned into plain data: a JSON description plus numpy arrays.

Student code runs in a child process and hands back only this plain data (``save_record``:
a line of JSON, then the arrays' raw bytes, read back as numbers of a plain dtype), so no
object made by student code is ever unpickled by the grader. The same encoder describes the reference's outputs,
so both sides are compared in exactly the same form.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import numpy as np
import torch

# A record larger than this is not read: no honest answer here comes near it.
MAX_RECORD_BYTES = 64 * 2**20
JSON_VALUE_TYPES = (bool, int, float, str, type(None))
# Containers (tuples, lists, dicts) are described item by item up to these limits.
MAX_DEPTH = 16
MAX_ITEMS = 10_000


class InvalidRecord(Exception):
    """A child's output file is unreadable or inconsistent (crash mid-write, or tampering)."""


def describe(value: Any, arrays: dict[str, np.ndarray], key: str, depth: int = 0) -> dict[str, Any]:
    """Describe ``value``; tensor data goes into ``arrays[key]``.

    Kinds: ``tensor``; ``value`` (a JSON scalar); ``sequence`` (a tuple or list: ``items``);
    ``mapping`` (a dict with JSON scalar keys: ``items``, a list of ``[key, description]``
    pairs, so that an int key stays an int); ``object`` (anything else, by type and repr).
    Containers nested deeper than ``MAX_DEPTH`` are objects; a container of more than
    ``MAX_ITEMS`` items keeps only its ``length``.
    """
    if isinstance(value, torch.Tensor):
        return _describe_tensor(value, arrays, key)
    if isinstance(value, JSON_VALUE_TYPES):
        return {"kind": "value", "type": type(value).__name__, "value": value}
    container = (isinstance(value, (list, tuple))
                 or isinstance(value, dict) and all(isinstance(k, JSON_VALUE_TYPES) for k in value))
    if container and depth < MAX_DEPTH:
        items = None
        if len(value) <= MAX_ITEMS and isinstance(value, dict):
            items = [[k, describe(v, arrays, f"{key}.{i}", depth + 1)]
                     for i, (k, v) in enumerate(value.items())]
        elif len(value) <= MAX_ITEMS:
            items = [describe(v, arrays, f"{key}.{i}", depth + 1) for i, v in enumerate(value)]
        return {"kind": "mapping" if isinstance(value, dict) else "sequence",
                "type": type(value).__name__, "length": len(value), "items": items}
    return {"kind": "object", "type": f"{type(value).__module__}.{type(value).__qualname__}",
            "repr": _safe_repr(value)}


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:200]
    except BaseException:  # noqa: BLE001 - a hostile __repr__ must not break reporting
        return "<unprintable>"


def _describe_tensor(t: torch.Tensor, arrays: dict[str, np.ndarray], key: str) -> dict[str, Any]:
    # Subclasses (and __torch_function__ tricks) are described as the plain tensor they hold.
    with torch._C.DisableTorchFunctionSubclass():
        meta = {
            "kind": "tensor",
            "type": f"{type(t).__module__}.{type(t).__qualname__}",
            "exact_type": type(t) is torch.Tensor,
            "dtype": str(t.dtype).removeprefix("torch."),
            "shape": [int(s) for s in t.shape],
            "device": str(t.device),
            "requires_grad": bool(t.requires_grad),
            "grad_fn": type(t.grad_fn).__name__ if t.grad_fn is not None else None,
            "array": None,
        }
        try:
            data = t.detach().to("cpu")
            if data.is_floating_point():
                data = data.to(torch.float64)
            arrays[key] = data.numpy().copy()
            meta["array"] = key
        except Exception as exc:  # e.g. a tensor on the meta device holds no values
            meta["unreadable"] = f"{type(exc).__name__}: {exc}"[:300]
    return meta


def attach_arrays(meta: Any, arrays: Any) -> Any:
    """Replace array keys in a description by the arrays themselves, checking consistency."""
    if isinstance(meta, dict):
        if meta.get("kind") == "tensor" and meta.get("array") is not None:
            try:
                array = arrays[meta["array"]]
            except KeyError as exc:
                raise InvalidRecord(f"missing array {meta['array']!r}") from exc
            if list(array.shape) != meta.get("shape"):
                raise InvalidRecord("array shape disagrees with its description")
            return {**meta, "array": array}
        return {k: attach_arrays(v, arrays) for k, v in meta.items()}
    if isinstance(meta, list):
        return [attach_arrays(v, arrays) for v in meta]
    return meta


def save_record(path: str, record: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    """Write ``path.record``: one line of JSON, ``{"record": record, "arrays": {name: {"dtype",
    "shape", "offset"}}}``, then the arrays' bytes one after another. No pickle and no header
    per array to parse, and one file a record: a grading writes and reads hundreds."""
    index, offset, chunks = {}, 0, []
    for name, array in arrays.items():
        data = np.asarray(array)
        index[name] = {"dtype": data.dtype.str, "shape": list(data.shape), "offset": offset}
        chunks.append(data.tobytes(order="C"))
        offset += data.nbytes
    tmp = path + ".record.tmp"
    with open(tmp, "wb") as f:
        f.write(json.dumps({"record": record, "arrays": index}).encode() + b"\n")
        f.writelines(chunks)
    os.replace(tmp, path + ".record")  # it appears whole or not at all


def load_record(path: str) -> dict[str, Any]:
    """Read a record written by a child, trusting nothing in it."""
    try:
        if os.path.getsize(path + ".record") > MAX_RECORD_BYTES:
            raise InvalidRecord("record too large")
        with open(path + ".record", "rb") as f:
            head = f.readline()
            data = bytearray(f.read())  # writable: the arrays are views of it
        saved = json.loads(head)
        if not (isinstance(saved, dict) and isinstance(saved.get("record"), dict)
                and isinstance(saved.get("arrays"), dict)):
            raise InvalidRecord("record is not an object")
        arrays = {name: _array(data, entry) for name, entry in saved["arrays"].items()}
        return attach_arrays(saved["record"], arrays)
    except InvalidRecord:
        raise
    except Exception as exc:
        raise InvalidRecord(f"{type(exc).__name__}: {exc}") from exc


def _array(data: bytearray, entry: Any) -> np.ndarray:
    """The array ``entry`` describes in ``data``: plain numbers only, inside ``data``."""
    dtype, shape, offset = np.dtype(entry["dtype"]), entry["shape"], entry["offset"]
    if dtype.kind not in "biufc" or dtype.fields is not None or dtype.subdtype is not None:
        raise InvalidRecord(f"an array of {dtype} is not plain numbers")
    if not (isinstance(shape, list) and all(type(n) is int and n >= 0 for n in shape)
            and type(offset) is int and offset >= 0):
        raise InvalidRecord("an array's shape or offset is not a list of sizes")
    count = math.prod(shape)
    if count * dtype.itemsize > len(data) - offset:
        raise InvalidRecord("an array lies outside its file")
    return np.frombuffer(data, dtype, count, offset).reshape(shape)
