"""Imports run one way: no module of narrator imports from a layer above its own.

The layers, lowest first, are the data path of DESIGN.md: utilities, then the
text front end and the model catalogue, then engines, audio and articles, then
what is built from them (cache, feed, library), the stream, export, and the
two front ends. Every import counts, also one inside a function, because a
lazy import upward is the same arrow up, only harder to see.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "narrator"

LAYERS: list[set[str]] = [
    {"narrator", "errors", "paths", "urls", "slug"},
    {"device", "catalogue", "text", "cell_widths"},
    {"engines", "audio", "articles"},
    {"cache", "stream_events", "subtitles", "library", "default_voice", "listener_state"},
    {"stream"},
    {"export"},
    {"podcast"},  # the feed is built from what export wrote: its sidecars
    {"tui", "serve"},
    {"cli"},
    {"__main__"},
]
RANK = {unit: rank for rank, units in enumerate(LAYERS) for unit in units}


def _unit(module: str) -> str:
    """`narrator.engines.kokoro` -> `engines`; the package itself -> `narrator`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import of a narrator module in the file."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("narrator")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "narrator":  # `from narrator import articles` names a module
                found += [
                    (node.lineno, f"narrator.{a.name}")
                    if (PACKAGE / a.name).exists() or (PACKAGE / f"{a.name}.py").exists()
                    else (node.lineno, "narrator")
                    for a in node.names
                ]
            elif node.module.startswith("narrator."):
                found.append((node.lineno, node.module))
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer() -> None:
    missing = {_unit(_module_name(p)) for p in _modules()} - set(RANK)
    assert not missing, f"add these to LAYERS in {Path(__file__).name}: {sorted(missing)}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _module_name(p))
def test_no_import_reaches_a_layer_above(path: Path) -> None:
    own = _unit(_module_name(path))
    upward = [
        f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}"
        for line, target in _imports(path)
        if _unit(target) != own and RANK.get(_unit(target), -1) >= RANK.get(own, -1)
    ]
    assert not upward, "\n".join(upward)


def test_the_catalogue_imports_no_engine() -> None:
    """The rule the issue names: the Coqui catalogue and caches sit below every engine."""
    offenders = [
        f"{path.name}:{line} imports {target}"
        for path in (PACKAGE / "catalogue").rglob("*.py")
        for line, target in _imports(path)
        if _unit(target) not in {"catalogue", "errors", "paths"}
    ]
    assert not offenders, offenders
    assert not (PACKAGE / "models.py").exists(), "the catalogue lives in narrator/catalogue/"


def test_the_checker_sees_an_upward_import(tmp_path: Path) -> None:
    """The scan is not vacuous: a lazy import of an engine inside a function is found."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f():\n    from narrator.engines.kokoro import KokoroEngine\n"
        "from narrator import articles, __version__\n",
        encoding="utf-8",
    )
    assert sorted(_imports(probe)) == [
        (2, "narrator.engines.kokoro"),
        (3, "narrator"),
        (3, "narrator.articles"),
    ]
