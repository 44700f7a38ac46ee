"""A stand-in for torchvision, for running ``vae_gmvae_iwae`` where torchvision is not usable.

The homework's ``utils.py`` imports ``datasets`` and ``transforms`` from torchvision at its top
(and old model files ``torchvision.utils.save_image``) but needs them only to read real SVHN.
Here every public name of those three modules exists and raises when called. Put the folder
above this one first on ``sys.path`` (or ``PYTHONPATH``) to use it.
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
