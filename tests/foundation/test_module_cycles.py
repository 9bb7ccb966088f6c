"""No import cycle between modules (issue 24): a module that, through any chain of
imports, imports itself again can be half-initialised when the chain is entered from the
other end, and it tells a reader that neither module is the home of what they share.

Every import is read from the source with ast, including those inside functions (a lazy
import is still a dependency; it only hides the cycle from the interpreter). An edge goes
to the module an import names: `from engine.llm import placement` depends on
engine.llm.placement, and on engine.llm's __init__ only when it also takes a name defined
there. The parents Python imports implicitly on the way are not edges, or every module of
a package that its __init__ reaches would form a cycle with it.

To scan another tree, add its top-level package to SCAN_ROOTS.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCAN_ROOTS = ("engine", "desktop", "tests")


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST, package: list[str], known: set[str]) -> set[str]:
    """The modules among `known` that the imports in `tree` name."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            submodules = {f"{module}.{a.name}" for a in node.names} & known
            found |= submodules
            if len(submodules) < len(node.names):   # a name defined in `module` itself
                found.add(module)
    return found & known


def module_graph(tops: tuple[str, ...] = SCAN_ROOTS, root: Path = ROOT
                 ) -> dict[str, set[str]]:
    """module -> the modules of the scanned trees it imports."""
    paths = {module_name(p, root): p for top in tops for p in sorted((root / top).rglob("*.py"))}
    known = set(paths)
    graph = {}
    for name, path in paths.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        graph[name] = _imports(tree, package, known) - {name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import one another (a strongly connected component of
    more than one module, Tarjan's algorithm), sorted, as a list of its modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while not group or group[-1] != node:
                group.append(stack.pop())
            if len(group) > 1:
                groups.append(sorted(group))

    for start in sorted(graph):
        if start not in index:
            visit(start)
    return sorted(groups)


def cycle_path(graph: dict[str, set[str]], group: list[str]) -> list[str]:
    """One import chain through `group` from its first module back to it."""
    members, start = set(group), group[0]
    paths, queue = {start: [start]}, [start]
    for node in queue:                      # breadth first: the shortest chain back
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    raise AssertionError(f"{group} is not a cycle")


def report(graph: dict[str, set[str]]) -> str:
    return "\n".join(f"{', '.join(group)}: {' -> '.join(cycle_path(graph, group))}"
                     for group in cycles(graph))


def test_no_module_imports_itself_through_others():
    graph = module_graph()
    # the graph really holds edges, lazy imports included
    assert "engine.llm.placement" in graph["engine.llm.llama_backend"]
    assert "engine.llm.llama_backend" in graph["engine.llm.factory"]   # inside a function
    assert "desktop.tour.hub" in graph["desktop.tour.pages"]          # desktop/ is scanned
    assert "tests.desktop.helpers" in graph["tests.desktop.shell.test_first_use"]  # tests/
    found = cycles(graph)
    assert not found, "import cycles between modules:\n" + report(graph)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, body in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    return tmp_path


def test_the_check_finds_each_cycle_and_its_modules(tmp_path):
    root = _tree(tmp_path, {
        "pkg/__init__.py": "from pkg.a import f\n",
        "pkg/a.py": "from pkg import b\ndef f():\n    pass\n",
        "pkg/b.py": "def g():\n    from .c import h\n",          # lazy and relative
        "pkg/c.py": "import pkg.a\n",
        "pkg/sub/__init__.py": "",
        "pkg/sub/x.py": "from ..sub import y\nfrom pkg.d import VALUE\n",
        "pkg/sub/y.py": "from . import x\n",
        "pkg/d.py": "VALUE = 1\nfrom pkg import sub\n",   # the package's __init__ alone
        "other/__init__.py": "", "other/o.py": "import pkg.d\n",
    })
    graph = module_graph(("pkg",), root)
    assert graph["pkg.a"] == {"pkg.b"}                # the submodule, not pkg's __init__
    assert graph["pkg.sub.x"] == {"pkg.sub.y", "pkg.d"}
    assert graph["pkg.d"] == {"pkg.sub"}
    assert "other.o" not in graph                      # outside the scanned roots
    assert cycles(graph) == [["pkg.a", "pkg.b", "pkg.c"], ["pkg.sub.x", "pkg.sub.y"]]
    assert cycle_path(graph, ["pkg.a", "pkg.b", "pkg.c"]) == ["pkg.a", "pkg.b", "pkg.c", "pkg.a"]
    assert "pkg.sub.x, pkg.sub.y: pkg.sub.x -> pkg.sub.y -> pkg.sub.x" in report(graph)
    assert cycles(module_graph(("other",), root)) == []
    graph["pkg.c"].clear()
    assert cycles(graph) == [["pkg.sub.x", "pkg.sub.y"]]
