"""No import cycle between engine packages: read every import from the source (ast, lazy
imports inside functions included, since they are dependencies too), fold modules into
their package (engine.warp, engine.project, ...; a top-level module such as engine.cite is
its own node) and look for a cycle in that graph."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def unit_of(module: str) -> str:
    """engine.warp.run -> engine.warp; engine.cite -> engine.cite; engine -> engine."""
    return ".".join(module.split(".")[:2])


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, root: Path) -> set[str]:
    """Absolute module names `path` imports (relative imports resolved)."""
    own = _module_name(path, root).split(".")
    package = own if path.name == "__init__.py" else own[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            found.add(module)
            # `from engine.warp import events` imports the module engine.warp.events
            found.update(f"{module}.{a.name}" for a in node.names
                         if (root / Path(*module.split("."), a.name)).exists()
                         or (root / Path(*module.split("."), a.name + ".py")).exists())
    return found


def package_graph(top: str = "engine", root: Path = ROOT) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in sorted((root / top).rglob("*.py")):
        source = unit_of(_module_name(path, root))
        targets = graph.setdefault(source, set())
        for module in imported_modules(path, root):
            if module.split(".")[0] == top:
                target = unit_of(module)
                if target != source and target != top:   # the root package holds no code
                    targets.add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path [a, b, ..., a], or None (depth-first search, three colours)."""
    state: dict[str, int] = {}          # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_engine_packages_have_no_import_cycle():
    graph = package_graph()
    assert {"engine.warp", "engine.project", "engine.report", "engine.llm",
            "engine.library", "engine.export", "engine.cli"} <= set(graph)
    assert "engine.project" in graph["engine.warp"]      # the graph really holds edges
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between engine packages: " + " -> ".join(cycle)


def test_report_model_depends_on_no_package_that_uses_it():
    graph = package_graph()
    assert graph["engine.report"] <= {"engine.library", "engine.cite", "engine.language"}
    assert "engine.warp" not in graph["engine.project"]


def test_the_check_finds_a_cycle(tmp_path):
    # Two packages importing each other (one lazily, inside a function) form a cycle.
    for name, body in {"a/__init__.py": "", "a/x.py": "from pkg.b.y import f\n",
                       "b/__init__.py": "", "b/y.py": "def f():\n    from pkg.a import x\n",
                       "c/__init__.py": "", "c/z.py": "import pkg.a.x\n"}.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    graph = package_graph("pkg", tmp_path)
    assert graph["pkg.c"] == {"pkg.a"}
    assert find_cycle(graph) == ["pkg.a", "pkg.b", "pkg.a"]
    graph["pkg.b"].clear()
    assert find_cycle(graph) is None


def test_desktop_rooms_have_no_import_cycle():
    graph = package_graph("desktop")
    assert {"desktop.shell", "desktop.engine_link", "desktop.report", "desktop.evidence",
            "desktop.check", "desktop.outline", "desktop.library", "desktop.models",
            "desktop.run", "desktop.tour", "desktop.operations", "desktop.common"} <= set(graph)
    assert "desktop.engine_link" in graph["desktop.shell"]   # the graph really holds edges
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between desktop packages: " + " -> ".join(cycle)


def test_low_rooms_import_no_room_above_them():
    """common and engine_link sit under every room; the shell assembles and nothing
    imports it but the tour (which drives the whole window)."""
    graph = package_graph("desktop")
    assert graph["desktop.common"] <= {"desktop.qt"}
    assert graph["desktop.engine_link"] <= {"desktop.qt", "desktop.common"}
    users_of_shell = {unit for unit, targets in graph.items() if "desktop.shell" in targets}
    assert users_of_shell <= {"desktop.tour"}
