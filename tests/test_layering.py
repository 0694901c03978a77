"""One-way layering (DESIGN 2): mpl <- kernel <- blocks <- explore <- cli; verify and vsa
stand apart; ``genlogic/backend.py`` (which kernels run) sits below everything.  Every import of a genlogic module (absolute, relative, or by a constant
string given to ``__import__`` / ``importlib.import_module``) is read with ``ast``, at any
depth in the file (function-local imports count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "genlogic"

# layer -> the genlogic subpackages it may import (itself always allowed)
ALLOWED = {
    "mpl": {"mpl"},
    "kernel": {"mpl", "kernel"},
    "blocks": {"mpl", "kernel", "blocks", "backend"},
    "export": {"mpl", "export"},
    "verify": {"mpl", "verify"},
    "vsa": {"mpl", "vsa", "backend"},
}
FORBIDDEN = {
    "explore": {"cli"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute module of ``from <level dots><name> import ...`` inside ``module``."""
    if level == 0:
        return name or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[:len(base) - (level - 1)]
    return ".".join(base + ([name] if name else []))


def genlogic_imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) for every import of something under ``genlogic``."""
    return imports_in(path.read_text(encoding="utf-8"), module_name(path),
                      path.name == "__init__.py")


def imports_in(source: str, module: str, is_package: bool = False) -> list[tuple[int, str]]:
    """The genlogic imports of ``source`` read as the text of ``module``."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = resolve(module, is_package, node.level, node.module)
            found.append((node.lineno, target))
            # `from genlogic import kernel` / `from .. import blocks` import a subpackage
            if target == "genlogic":
                found += [(node.lineno, f"genlogic.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else \
                func.attr if isinstance(func, ast.Attribute) else None
            if name in ("__import__", "import_module") and node.args and \
                    isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return [(line, m) for line, m in found if m == "genlogic" or m.startswith("genlogic.")]


def layer_of(module: str) -> str:
    """``genlogic.blocks.prover`` -> ``blocks``; the package root itself is ``genlogic``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "genlogic"


def files_of(layer: str) -> list[Path]:
    folder = PACKAGE / layer
    files = sorted(folder.rglob("*.py"))
    assert files, f"no files in genlogic/{layer}"
    return files


# each restricted layer imports only the layers below it (and itself)
@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_allowed(layer):
    offenders = []
    for path in files_of(layer):
        for line, target in genlogic_imports(path):
            if layer_of(target) not in ALLOWED[layer]:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert offenders == []


# the backend switch imports nothing of genlogic, so any layer may read it
def test_backend_module_imports_nothing():
    assert genlogic_imports(PACKAGE / "backend.py") == []


# explore sits below the command line and never imports it
@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_avoids_forbidden(layer):
    offenders = []
    for path in files_of(layer):
        for line, target in genlogic_imports(path):
            if layer_of(target) in FORBIDDEN[layer]:
                offenders.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert offenders == []


# the scanner resolves relative imports and sees function-local and string imports
def test_scanner_sanity():
    assert resolve("genlogic.blocks.prover", False, 2, "kernel") == "genlogic.kernel"
    assert resolve("genlogic.blocks", True, 1, "block") == "genlogic.blocks.block"
    assert resolve("genlogic.mpl.parser", False, 2, None) == "genlogic"
    found = {m for _, m in genlogic_imports(PACKAGE / "kernel" / "rules.py")}
    assert "genlogic.mpl.ast" in found and "genlogic.kernel.core" in found
    probe = ("import os\n"
             "def f():\n"
             "    from ..blocks import prover\n"
             "    from .. import cli\n"
             "    __import__('genlogic.explore.model')\n"
             "    importlib.import_module('genlogic.export')\n")
    found = {m for _, m in imports_in(probe, "genlogic.kernel.probe")}
    assert found == {"genlogic.blocks", "genlogic", "genlogic.cli", "genlogic.explore.model",
                     "genlogic.export"}
    assert {layer_of(m) for m in found} - ALLOWED["kernel"] == \
        {"blocks", "genlogic", "cli", "explore", "export"}
