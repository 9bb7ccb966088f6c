"""Which libraries exist in the app data folder (for pickers: the desktop, the CLI), and
renaming or deleting one (its folder, and the Chroma collection named after it)."""
from __future__ import annotations

import shutil

from engine.library.errors import LibraryError
from engine.paths import libraries_dir


def library_names() -> list[str]:
    """Names of the libraries on this computer that hold a manifest, sorted; a library
    kept on a Chroma server has its manifest here too, so it is listed as well."""
    root = libraries_dir()
    return sorted(p.name for p in root.iterdir()
                  if p.is_dir() and any(p.rglob("manifest.sqlite")))


def check_name(name: str) -> str:
    from engine.library.library import _NAME

    if not _NAME.match(name or ""):
        raise LibraryError(f"library names are letters, digits, - and _ (up to 63): {name!r}")
    return name


def rename_library(old: str, new: str) -> None:
    """Rename a library on this computer. Run where no Library object has it open."""
    source, target = libraries_dir() / check_name(old), libraries_dir() / check_name(new)
    if not source.is_dir():
        raise LibraryError(f"there is no library named {old!r}")
    if target.exists():
        raise LibraryError(f"a library named {new!r} already exists")
    if any(p.name.startswith("server-") for p in source.iterdir()):
        raise LibraryError(f"library {old!r} lives on a Chroma server; it keeps its name")
    chroma = source / "chroma"
    if chroma.is_dir():
        _rename_collection(chroma, old, new)
    source.rename(target)


def delete_library(name: str) -> None:
    """Delete a library's index (never the documents themselves)."""
    folder = libraries_dir() / check_name(name)
    if not folder.is_dir():
        raise LibraryError(f"there is no library named {name!r}")
    _forget_clients()
    shutil.rmtree(folder)


def _rename_collection(path, old: str, new: str) -> None:
    import chromadb

    from engine.library.vector_store import collection_name
    from engine.offline import chroma_settings

    client = chromadb.PersistentClient(path=str(path), settings=chroma_settings())
    try:
        names = {getattr(c, "name", c) for c in client.list_collections()}
        if collection_name(old) in names:
            client.get_collection(collection_name(old)).modify(name=collection_name(new))
    finally:
        _forget_clients()


def _forget_clients() -> None:
    """Chroma caches one client per folder; a renamed or deleted folder must not be
    served from that cache later."""
    try:
        from chromadb.api.shared_system_client import SharedSystemClient
    except ImportError:
        return
    SharedSystemClient.clear_system_cache()
