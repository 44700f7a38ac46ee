"""Import a folder's graded files as modules: flat files under their own names, the files of
a package as the package's modules."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import signal
import sys
import threading
import traceback
from contextlib import contextmanager, nullcontext
from pathlib import Path, PurePosixPath
from types import ModuleType, SimpleNamespace
from typing import Any, Iterator

UNDERLAY = ".student"  # in a part's folder: the student's copies of the files ours replace
UNDERLAY_SECONDS = 3  # for running the student's copies: past them, ours alone


def module_name(file: str) -> str:
    """``gan.py`` -> ``gan``; ``submission/models/vae.py`` -> ``submission.models.vae``;
    ``submission/__init__.py`` -> ``submission``."""
    parts = PurePosixPath(file).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def attribute_name(file: str) -> str:
    """The name a file's module has in the namespace the test cases see: ``vae`` for
    ``submission/models/vae.py``, ``models`` for ``submission/models/__init__.py``."""
    return module_name(file).rsplit(".", 1)[-1]


def import_file(path: Path, name: str) -> ModuleType:
    """Import ``path`` as module ``name``; registered in sys.modules so siblings can import it."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path.name}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    return module


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes ``alias`` and its submodules the very modules of package ``target`` (not copies:
    classes and functions are the same objects whichever name imported them)."""

    def __init__(self, alias: str, target: str) -> None:
        self.alias, self.target = alias, target

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.alias and not fullname.startswith(self.alias + "."):
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        module = importlib.import_module(self.target + spec.name[len(self.alias):])
        self._spec = module.__spec__  # the import system overwrites it: restored below
        return module

    def exec_module(self, module) -> None:
        module.__spec__ = self._spec


class _Layered(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Loads each module of ``files`` (module name -> (the student's copy, ours)) as ours, and
    looks up a name ours does not define in the student's copy: their own helpers stay
    reachable (``ut.standard_prior``, ``from submission.models.vae import rec_term``), and
    every name ours defines is ours, inside their helpers too (see ``_keep_theirs``).

    The student's copy runs only then (most parts never ask), once, in a namespace of its own;
    what it changes in torch, numpy or math is put back (``_restored``): a copy run as a
    background cannot change the part. One copy running (and those it leads to) gets
    ``UNDERLAY_SECONDS`` in all; past them no copy runs any more. What a copy defined before
    it failed (an error, an exit, the time) is kept.
    """

    def __init__(self, files: dict[str, tuple[Path, Path]]) -> None:
        self.files = files
        self.running = 0  # the student's copies being run: one may lead to the next
        self.expired = False

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.files:
            return None
        return importlib.util.spec_from_file_location(fullname, self.files[fullname][1],
                                                      loader=self)

    def exec_module(self, module: ModuleType) -> None:
        ours = self.files[module.__name__][1]
        exec(compile(ours.read_bytes(), str(ours), "exec"), module.__dict__)
        if "__getattr__" not in module.__dict__:
            ran: list[bool] = []

            def theirs(name: str) -> Any:
                if not ran and not name.startswith("__"):  # not the import system's probes
                    ran.append(True)
                    self._run_theirs(module)
                if name in module.__dict__:
                    return module.__dict__[name]
                raise AttributeError(f"module {module.__name__!r} has no attribute {name!r}")

            module.__getattr__ = theirs

    def _run_theirs(self, module: ModuleType) -> None:
        theirs = self.files[module.__name__][0]
        if self.expired:
            return
        scratch = {k: v for k, v in module.__dict__.items() if k.startswith("__")}
        scratch.update(__file__=str(theirs))
        del scratch["__getattr__"]
        outermost = self.running == 0
        self.running += 1
        try:
            with _restored(), (time_limit(UNDERLAY_SECONDS, _TooLong()) if outermost
                               else nullcontext()):
                exec(compile(theirs.read_bytes(), str(theirs), "exec"), scratch)
        except _TooLong:
            self.expired = True
            if not outermost:
                raise  # on to the outermost copy, which the time is counted for
        except BaseException:  # noqa: BLE001 - a failing copy keeps what it defined
            pass
        finally:
            self.running -= 1
            _keep_theirs(module.__dict__, scratch)


def _keep_theirs(ours: dict[str, Any], theirs: dict[str, Any]) -> None:
    """Add to namespace ``ours`` the names only ``theirs`` defines. Their helpers' globals
    are ``theirs``: ours's names are put there first, so a helper calls our functions; and an
    alias of one of their functions (``logpdf = log_normal``) becomes ours."""
    defined = [k for k in ours if not k.startswith("__")]
    replaced = {id(theirs[k]): ours[k] for k in defined if k in theirs and callable(theirs[k])}
    for k in defined:
        theirs[k] = ours[k]
    for k, value in list(theirs.items()):
        if k not in ours and not k.startswith("__"):
            ours[k] = replaced.get(id(value), value) if callable(value) else value


@contextmanager
def _restored() -> Iterator[None]:
    """Put back every name of torch, torch.nn, torch.nn.functional, torch.Tensor, numpy and
    math (those loaded) that the code run inside changed (names it added, such as submodules,
    stay)."""
    owners = [sys.modules[name] for name in ("torch", "torch.nn", "torch.nn.functional", "numpy",
                                             "math") if name in sys.modules]
    if "torch" in sys.modules:
        owners.append(sys.modules["torch"].Tensor)
    before = [dict(vars(owner)) for owner in owners]
    try:
        yield
    finally:
        for owner, names in zip(owners, before):
            for name, value in names.items():
                if vars(owner).get(name, _GONE) is not value:
                    setattr(owner, name, value)


_GONE = object()


class _TooLong(BaseException):
    """Not an Exception: a student's ``except Exception`` does not swallow it."""


@contextmanager
def time_limit(seconds: float, error: BaseException) -> Iterator[None]:
    """Raise ``error`` in the code running after ``seconds`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise error

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def layer(folder: Path, files: list[str]) -> None:
    """Import each of ``files`` that has a student's copy under ``folder/UNDERLAY`` as ours,
    with the names only that copy defines (see :class:`_Layered`)."""
    layered = {module_name(f): (folder / UNDERLAY / f, folder / f) for f in files
               if (folder / UNDERLAY / f).is_file() and (folder / f).is_file()}
    if layered:
        sys.meta_path.insert(0, _Layered(layered))


def forget_package(names: list[str]) -> None:
    """Drop packages ``names`` (and their aliases' finders) from this process, so that the next
    import loads them from the path: a process forked from one that imported the reference
    must not see the reference's modules."""
    if not names:
        return
    for key in [k for k in sys.modules if k.partition(".")[0] in names]:
        del sys.modules[key]
    sys.meta_path[:] = [f for f in sys.meta_path if not (isinstance(f, _Alias) and f.alias in names)]


def alias_package(aliases: list[str], target: str) -> None:
    """Let code import package ``target`` by each of ``aliases`` too."""
    forget_package(aliases)
    sys.meta_path[:0] = [_Alias(alias, target) for alias in aliases]


def import_folder(folder: Path, files: list[str]) -> tuple[SimpleNamespace, dict[str, str]]:
    """Import ``folder/<file>`` for each file; return the modules (by ``attribute_name``) and
    an error per file that failed (by the same name)."""
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    modules, errors = SimpleNamespace(), {}
    for file in files:
        path, attribute = folder / file, attribute_name(file)
        if not path.exists():
            errors[attribute] = f"{PurePosixPath(file).name} was not found in your submission"
            continue
        name = module_name(file)
        try:
            if "." in name or path.name == "__init__.py":  # a package's module
                setattr(modules, attribute, importlib.import_module(name))
            else:
                setattr(modules, attribute, import_file(path, name))
        except BaseException as exc:  # noqa: BLE001 - SyntaxError, SystemExit at import, ...
            errors[attribute] = describe_import_error(exc, path)
    return modules, errors


def describe_import_error(exc: BaseException, path: Path) -> str:
    if isinstance(exc, SyntaxError):
        where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
        text = (exc.text or "").rstrip()
        name = Path(exc.filename).name if exc.filename else path.name
        return (f"{name} could not be imported: {type(exc).__name__} at {where}: {exc.msg}"
                + (f"\n    {text}" if text else ""))
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    where = f" (line {frames[-1].lineno})" if frames else ""
    return f"{path.name} could not be imported{where}: {type(exc).__name__}: {exc}"
