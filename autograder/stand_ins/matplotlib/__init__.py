"""An inert stand-in for matplotlib: plotting does nothing.

Some homework files import ``matplotlib`` (or ``matplotlib.pyplot``) at their top for plots
that grading never looks at. Every name of ``matplotlib``, ``pyplot``, ``figure`` and
``cm`` is an object that accepts any call, attribute, index or iteration and does nothing,
so a stray ``plt.plot(...)``, ``plt.savefig(...)`` or ``fig, ax = plt.subplots()`` at the top of a
file cannot cost a part.
"""

import sys
from types import ModuleType

SUBMODULES = ("pyplot", "figure", "cm", "colors")


class _Inert:
    """Whatever is asked of it, it answers with itself (or nothing)."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return self

    def __getitem__(self, key):
        return self

    def __iter__(self):  # fig, ax = plt.subplots()
        return iter((self, self))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __bool__(self):
        return False


def _stand_in(module_name: str) -> ModuleType:
    module = ModuleType(module_name, f"Inert stand-in for {module_name}.")

    def attribute(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert()

    module.__getattr__ = attribute
    return module


def use(*args, **kwargs) -> None:
    """``matplotlib.use('Agg')``: nothing to choose."""


__version__ = "0.0 (stand-in)"
for _name in SUBMODULES:
    sys.modules[f"{__name__}.{_name}"] = globals()[_name] = _stand_in(f"{__name__}.{_name}")
