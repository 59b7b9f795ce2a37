"""The package's shape: data flows one way, so no module and no subpackage imports one that
imports it back (a circle makes a newcomer read everything to change anything)."""

from __future__ import annotations

import ast

from helpers import ROOT

PACKAGE = ROOT / "tool" / "thutuc"
SUBPACKAGES = {"catalogue", "checklist", "website", "editing", "cli"}


def imports() -> dict[str, set[str]]:
    """Module → the thutuc modules it imports (anywhere in its body, lazy imports included)."""
    modules = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "thutuc":
                deps |= {f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules}
                deps |= {node.module} if node.module in modules else set()
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name in modules}
        deps.discard(name)
        deps.discard("thutuc")  # the package's __init__ holds only the version
        graph[name] = deps
    return graph


def circle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for dep in sorted(graph.get(node, ())):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep] if dep in path else [node, dep]
            if dep not in state and (found := visit(dep, path + [dep])):
                return found
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node, [node])):
            return found
    return None


def package_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 2 and parts[1] in SUBPACKAGES else module


def test_no_module_imports_one_that_imports_it_back():
    assert circle(imports()) is None


def test_no_subpackage_imports_one_that_imports_it_back():
    packages: dict[str, set[str]] = {}
    for module, deps in imports().items():
        packages.setdefault(package_of(module), set()).update(
            package_of(d) for d in deps if package_of(d) != package_of(module))
    assert circle(packages) is None


def test_the_catalogue_needs_no_renderer():
    """Loading and checking never import the website, the checklists or the editors."""
    for module, deps in imports().items():
        if package_of(module) == "thutuc.catalogue":
            assert not {package_of(d) for d in deps} & {"thutuc.checklist", "thutuc.website", "thutuc.editing",
                                                        "thutuc.cli", "thutuc.wording"}, module
