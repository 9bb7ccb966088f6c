"""Print a bundle's size and what dominates it: the largest top-level entries and files.

    python installers/sizes.py build/dist/deepdraft
"""
from __future__ import annotations

import sys
from pathlib import Path


def tree_size(path: Path) -> int:
    if path.is_file() or path.is_symlink():
        return path.lstat().st_size
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def main(folder: str, top: int = 15) -> None:
    root = Path(folder)
    inner = root / "_internal" if (root / "_internal").is_dir() else root
    entries = sorted(((tree_size(p), p.name) for p in inner.iterdir()), reverse=True)
    total = tree_size(root)
    print(f"bundle {root}: {total / 2**20:.0f} MiB")
    for size, name in entries[:top]:
        print(f"  {size / 2**20:8.1f} MiB  {size / total:5.1%}  {name}")
    files = sorted(((f.stat().st_size, f.relative_to(inner)) for f in inner.rglob("*")
                    if f.is_file() and not f.is_symlink()), reverse=True)
    print("largest files:")
    for size, name in files[:top]:
        print(f"  {size / 2**20:8.1f} MiB  {name}")


if __name__ == "__main__":
    main(sys.argv[1])
