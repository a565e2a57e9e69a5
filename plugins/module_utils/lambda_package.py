# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reproducible Lambda deployment packages built from files and installed Python packages.

The same inputs always give the same bytes (sorted entries, fixed timestamps and modes, no bytecode),
so Lambda's CodeSha256 changes only when the code does and a re-run updates nothing. Third-party
packages come from the Python that runs the module (the controller's pinned virtualenv); nothing is
copied into the repository.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
SKIP_DIRS = {"__pycache__"}
SKIP_SUFFIXES = (".pyc", ".pyo")


class PackageError(Exception):
    pass


def package_root(name: str) -> tuple[Path, bool]:
    """(path, is_directory) of an importable top-level package or module."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin:
        raise PackageError(f"Python package {name!r} is not installed for {sys.executable}")
    if spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))), True
    return Path(spec.origin), False


ARCNAME = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


def _add(found: dict[str, Path], arcname: str, path: Path, what: str) -> None:
    if arcname in found:
        raise PackageError(f"{what} {path} would be {arcname} in the archive, which another file already is")
    found[arcname] = path


def entries(sources: list[str], packages: list[str], files: dict[str, str] | None = None) -> dict[str, Path]:
    """Archive name -> file on disk.

    ``files`` maps an archive name (a relative path, no ``..``) to a file on disk, for data the code reads from its
    package under a fixed name (a CA bundle), whatever the file's own name.
    """
    found: dict[str, Path] = {}
    for source in sources:
        path = Path(source)
        if not path.is_file():
            raise PackageError(f"source file {source} does not exist")
        _add(found, path.name, path, "source file")
    for name in packages:
        root, is_dir = package_root(name)
        if not is_dir:
            found[root.name] = root
            continue
        for path in root.rglob("*"):
            if path.is_dir() or path.suffix in SKIP_SUFFIXES or SKIP_DIRS & set(path.parts):
                continue
            found[str(Path(root.name) / path.relative_to(root))] = path
    for arcname, source in sorted((files or {}).items()):
        if not ARCNAME.match(arcname) or ".." in arcname.split("/"):
            raise PackageError(f"archive name {arcname!r} must be a relative path of letters, digits, '_', '.', '-'")
        path = Path(source)
        if not path.is_file():
            raise PackageError(f"file {source} (for {arcname}) does not exist")
        _add(found, arcname, path, "file")
    return found


def build(sources: list[str], packages: list[str], files: dict[str, str] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for arcname, path in sorted(entries(sources, packages, files).items()):
            info = zipfile.ZipInfo(arcname, date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    return buffer.getvalue()


def code_sha256(data: bytes) -> str:
    """The hash as Lambda reports it (CodeSha256: base64 of the SHA-256 digest)."""
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")
