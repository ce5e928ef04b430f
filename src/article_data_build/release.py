"""Releases: every released package kept as one reproducible zip, and the guard on version numbers.

    python -m article_data_build.release                 # add the current package to releases/
    python -m article_data_build.release --dist dist     # ... and write dist/ (wheel, sdist, zip, SHA256SUMS)
    python -m article_data_build.release --from-git COMMIT --version 1.0.0   # a past release, from git

``releases/article-data-VERSION.zip`` holds ``datapackage.json`` at its root and
``data/`` and ``schemas/`` beside it, stored uncompressed with fixed timestamps,
permissions and order, so the same package always zips to the same bytes on any
machine. ``releases/article-data-VERSION.datapackage.json`` keeps the released
descriptor beside it, and ``releases/SHA256SUMS`` lists every archive. A kept
release is never rewritten.

The build calls :func:`check_version` before publishing: when the data changed and
the version was not raised by at least the bump the diff requires (README,
"Versioning"), it refuses, showing the bump and the first changes that call for it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

from article_data import Package
from article_data._diff import BUMPS, diff_packages, version_bump
from article_data._hashes import hex_digest, sha256

from .layout import RELEASES

__all__ = ["check_version", "kept_releases", "published_files", "release_members", "write_release", "zip_bytes"]

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_NAME = re.compile(r"article-data-(?P<version>\d+\.\d+\.\d+)\.zip")
ROOT = Path(__file__).resolve().parent.parent.parent


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A reproducible zip: ``datapackage.json`` first, then the rest by name, stored, fixed date and mode."""
    sink = io.BytesIO()
    names = sorted(members, key=lambda n: (n != "datapackage.json", n))
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3  # Unix, so that the mode below is read
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_STORED
            archive.writestr(info, members[name])
    return sink.getvalue()


def published_files(*, root: Path | None = None,
                  git: tuple[Path, str] | None = None) -> dict[str, bytes]:
    """``datapackage.json`` and every file it names (resources and schemas), from a folder or a git commit."""
    def get(rel: str) -> bytes:
        if git is not None:
            repo, commit = git
            done = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=repo, capture_output=True, check=False)
            if done.returncode != 0:
                raise FileNotFoundError(f"{commit}:{rel}: {done.stderr.decode(errors='replace').strip()}")
            return done.stdout
        assert root is not None
        return (root / rel).read_bytes()

    descriptor_bytes = get("datapackage.json")
    descriptor = json.loads(descriptor_bytes)
    members = {"datapackage.json": descriptor_bytes}
    for resource in [*descriptor["resources"], *descriptor.get("files", [])]:
        for rel in (resource["path"], resource.get("schema")):
            if isinstance(rel, str) and rel not in members:
                members[rel] = get(rel)
    return members


def release_members(root: Path) -> dict[str, bytes]:
    """The members of a new release zip: the published files, and a README.md that is its Hugging Face card.

    The card is documentation, not data: it is not among the files ``SHA256SUMS`` and the
    descriptor hash, and it is computed from them (:mod:`article_data_build.card`).
    """
    from .card import card_text

    members = published_files(root=root)
    members["README.md"] = card_text(Package(root)).encode("utf-8")
    return members


def kept_releases(root: Path) -> dict[str, Path]:
    """The released archives in ``root/releases``, by version, oldest first."""
    found = {}
    for path in (root / RELEASES).glob("article-data-*.zip"):
        match = _NAME.fullmatch(path.name)
        if match:
            found[match["version"]] = path
    return dict(sorted(found.items(), key=lambda kv: tuple(int(p) for p in kv[0].split("."))))


def _write_sums(folder: Path) -> None:
    sums = [f"{hex_digest(sha256(p.read_bytes()))}  {p.name}\n"
            for p in sorted(folder.iterdir()) if p.is_file() and p.name != "SHA256SUMS"]
    (folder / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")


def write_release(root: Path, members: dict[str, bytes], version: str) -> Path:
    """Keep a package as ``releases/article-data-VERSION.zip`` (never rewriting a kept one); return its path."""
    descriptor = json.loads(members["datapackage.json"])
    if descriptor.get("version") != version:
        raise ValueError(f"the package declares version {descriptor.get('version')!r}, not {version!r}")
    folder = root / RELEASES
    folder.mkdir(exist_ok=True)
    archive = folder / f"article-data-{version}.zip"
    data = zip_bytes(members)
    if archive.exists() and archive.read_bytes() != data:
        raise ValueError(f"{archive}: release {version} is kept with other bytes; a released version never "
                         "changes: raise the version instead")
    archive.write_bytes(data)
    (folder / f"article-data-{version}.datapackage.json").write_bytes(members["datapackage.json"])
    _write_sums(folder)
    return archive


def check_version(root: Path, staging: Path) -> list[str]:
    """Why the package in ``staging`` may not be published under its version (empty when it may)."""
    kept = kept_releases(root)
    if not kept:
        return []
    latest_version, latest = list(kept.items())[-1]
    new = Package(staging)
    diff = diff_packages(Package(latest), new)
    given = version_bump(latest_version, new.version)
    first = "; ".join(diff.reasons[:5]) + (" ..." if len(diff.reasons) > 5 else "")
    if new.version in kept:
        if new.version != latest_version or not diff.equal:
            return [f"version {new.version} is released ({kept[new.version]}) and a released version never changes; "
                    f"this package differs from the latest release {latest_version} and needs a {diff.bump.upper()} "
                    f"bump: {first}"]
        return []
    if BUMPS.index(given) < BUMPS.index(diff.bump):
        return [f"version {new.version} understates the change from the latest release {latest_version}: "
                f"it is a {given.upper()} bump, but the change needs a {diff.bump.upper()} bump "
                f"(README, Versioning): {first}. Raise src/article_data/_version.py"]
    if given == "none":
        return [f"version {new.version} is not above the latest release {latest_version}"]
    return []


def _dist(root: Path, dist: Path, archive: Path) -> None:
    """The wheel, the sdist and the package zip in ``dist``, reproducibly, with SHA256SUMS."""
    dist.mkdir(parents=True, exist_ok=True)
    for old in dist.iterdir():
        old.unlink()
    env = dict(os.environ, SOURCE_DATE_EPOCH="315532800")  # 1980-01-01: no clock in the artifacts
    done = subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(root)],
                          env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"building the wheel and sdist failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    (dist / archive.name).write_bytes(archive.read_bytes())
    _write_sums(dist)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m article_data_build.release", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this one)")
    parser.add_argument("--from-git", metavar="COMMIT", help="take the published files from this git commit")
    parser.add_argument("--version", help="with --from-git: the version that commit released")
    parser.add_argument("--dist", type=Path, help="also write the wheel, sdist, zip and SHA256SUMS here")
    args = parser.parse_args(argv)
    if args.from_git:
        if not args.version:
            parser.error("--from-git needs --version")
        members = published_files(git=(args.root, args.from_git))
        version = args.version
    else:
        members = release_members(args.root)
        version = json.loads(members["datapackage.json"])["version"]
    archive = write_release(args.root, members, version)
    Package(archive).verify()
    print(f"release: {archive} ({len(members)} files, {archive.stat().st_size} bytes, {sha256(archive.read_bytes())})")
    if args.dist:
        _dist(args.root, args.dist, archive)
        print(f"release: {args.dist}: " + ", ".join(sorted(p.name for p in args.dist.iterdir())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
