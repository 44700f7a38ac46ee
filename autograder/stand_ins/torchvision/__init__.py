"""A stand-in for torchvision: every public name of ``datasets``, ``transforms`` and ``utils``
exists and raises when called.

Homework files import ``torchvision.datasets`` and ``transforms`` at their top (and older ones
``torchvision.utils.save_image``) but need them only to read a real dataset, which grading
never does. A torchvision built for another torch fails at import; this one cannot.
"""

import sys
from types import ModuleType

SUBMODULES = ("datasets", "transforms", "utils")


def _unavailable(qualified_name: str):
    def call(*args, **kwargs):
        raise RuntimeError(f"{qualified_name} is not available: this torchvision is a stand-in")

    call.__name__ = call.__qualname__ = qualified_name.rsplit(".", 1)[-1]
    return call


def _stand_in(module_name: str) -> ModuleType:
    module = ModuleType(module_name, f"Stand-in for {module_name}: every name raises when called.")

    def attribute(name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return _unavailable(f"{module_name}.{name}")

    module.__getattr__ = attribute
    return module


for _name in SUBMODULES:
    sys.modules[f"{__name__}.{_name}"] = globals()[_name] = _stand_in(f"{__name__}.{_name}")
