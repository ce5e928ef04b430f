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
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from article_data import Package
from article_data._diff import BUMPS, diff_packages, version_bump
from article_data._hashes import hex_digest, sha256
from article_data._names import RELEASE_ZIP, release_zip

from .layout import RELEASES, ROOT

__all__ = [
    "check_benchmark",
    "check_version",
    "kept_releases",
    "published_files",
    "release_members",
    "release_record",
    "write_release",
    "zip_bytes",
]

ZIP_DATE = (1980, 1, 1, 0, 0, 0)


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


def published_files(*, root: Path | None = None, git: tuple[Path, str] | None = None) -> dict[str, bytes]:
    """``datapackage.json`` and every file it names (resources and schemas), from a folder or a git commit."""

    def get(rel: str) -> bytes:
        if git is not None:
            repo, commit = git
            done = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=repo, capture_output=True, check=False)
            if done.returncode != 0:
                raise FileNotFoundError(f"{commit}:{rel}: {done.stderr.decode(errors='replace').strip()}")
            return done.stdout
        if root is None:
            raise ValueError("published_files needs root= or git=")
        return (root / rel).read_bytes()

    descriptor_bytes = get("datapackage.json")
    descriptor = json.loads(descriptor_bytes)
    members = {"datapackage.json": descriptor_bytes}
    for resource in [*descriptor["resources"], *descriptor.get("files", [])]:
        for rel in (resource["path"], resource.get("schema")):
            if isinstance(rel, str) and rel not in members:
                members[rel] = get(rel)
    return members


#: The release zip's Hugging Face card: documentation computed from the published files, not one of them.
CARD = "README.md"


def release_members(root: Path) -> dict[str, bytes]:
    """The members of a new release zip: the published files, and a README.md that is its Hugging Face card.

    The card is documentation, not data: it is not among the files ``SHA256SUMS`` and the
    descriptor hash, and it is computed from them (:mod:`article_data_build.card`).
    """
    from .card import card_text

    members = published_files(root=root)
    members[CARD] = card_text(Package(root)).encode("utf-8")
    return members


def kept_releases(root: Path) -> dict[str, Path]:
    """The released archives in ``root/releases``, by version, oldest first."""
    found = {}
    for path in (root / RELEASES).glob("article-data-*.zip"):
        match = RELEASE_ZIP.fullmatch(path.name)
        if match:
            found[match["version"]] = path
    return dict(sorted(found.items(), key=lambda kv: tuple(int(p) for p in kv[0].split("."))))


def _write_sums(folder: Path) -> None:
    sums = [
        f"{hex_digest(sha256(p.read_bytes()))}  {p.name}\n"
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "SHA256SUMS"
    ]
    (folder / "SHA256SUMS").write_text("".join(sums), encoding="utf-8")


#: The library's record of every kept release (its anchor of trust: article_data._trust).
RECORD = Path("src") / "article_data" / "releases.json"


def release_record(root: Path) -> bytes:
    """The record of every kept release: each published file's size and sha256, read from the kept zips.

    The card (:data:`CARD`) is left out: a checkout of a release has its own README.md, and
    what vouches for the data is the descriptor and the files it and ``SHA256SUMS`` cover.
    """
    releases = {}
    for version, path in kept_releases(root).items():
        with zipfile.ZipFile(path) as archive:
            releases[version] = {
                info.filename: {"bytes": info.file_size, "hash": sha256(archive.read(info))}
                for info in sorted(archive.infolist(), key=lambda i: i.filename)
                if not info.is_dir() and info.filename != CARD
            }
    record = {
        "about": "Every file of every kept release, written by `make release` from releases/; "
        "article_data checks a copy that claims a released version against it.",
        "releases": releases,
    }
    return (json.dumps(record, indent=1, sort_keys=True) + "\n").encode("utf-8")


def write_release(root: Path, members: dict[str, bytes], version: str) -> Path:
    """Keep a package as ``releases/article-data-VERSION.zip`` (never rewriting a kept one); return its path."""
    descriptor = json.loads(members["datapackage.json"])
    if descriptor.get("version") != version:
        raise ValueError(f"the package declares version {descriptor.get('version')!r}, not {version!r}")
    folder = root / RELEASES
    folder.mkdir(exist_ok=True)
    archive = folder / release_zip(version)
    data = zip_bytes(members)
    if archive.exists() and archive.read_bytes() != data:
        raise ValueError(
            f"{archive}: release {version} is kept with other bytes; a released version never "
            "changes: raise the version instead"
        )
    archive.write_bytes(data)
    (folder / release_zip(version).replace(".zip", ".datapackage.json")).write_bytes(members["datapackage.json"])
    _write_sums(folder)
    return archive


def _unreleased_view(staging: Path, scratch: Path) -> Package:
    """The staged package as a copy of no release (``VERSION+staged``), so that it can be compared.

    A package that claims a released version with other bytes is refused by the
    library (``article_data._trust``); to say what changed and which bump that needs,
    the guard compares a scratch copy whose descriptor claims no release.
    """
    shutil.copytree(staging, scratch, ignore=shutil.ignore_patterns(".*"))
    descriptor = json.loads((scratch / "datapackage.json").read_bytes())
    descriptor["version"] = f"{descriptor['version']}+staged"
    (scratch / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return Package(scratch)


def check_version(root: Path, staging: Path) -> list[str]:
    """Why the package in ``staging`` may not be published under its version (empty when it may)."""
    kept = kept_releases(root)
    if not kept:
        return []
    latest_version, latest = list(kept.items())[-1]
    raw = (staging / "datapackage.json").read_bytes()  # the build's own output: read to learn its version
    version = str(json.loads(raw).get("version"))
    if version in kept and raw == zipfile.ZipFile(kept[version]).read("datapackage.json") and version == latest_version:
        return []
    with tempfile.TemporaryDirectory(dir=staging.parent) as scratch:
        diff = diff_packages(Package(latest), _unreleased_view(staging, Path(scratch) / "package"))
    given = version_bump(latest_version, version)
    first = "; ".join(diff.reasons[:5]) + (" ..." if len(diff.reasons) > 5 else "")
    if version in kept:
        return [
            f"version {version} is released ({kept[version]}) and a released version never changes; "
            f"this package differs from the latest release {latest_version} and needs a {diff.bump.upper()} "
            f"bump: {first}"
        ]
    if BUMPS.index(given) < BUMPS.index(diff.bump):
        return [
            f"version {version} understates the change from the latest release {latest_version}: "
            f"it is a {given.upper()} bump, but the change needs a {diff.bump.upper()} bump "
            f"(README, Versioning): {first}. Raise src/article_data/_version.py"
        ]
    if given == "none":
        return [f"version {version} is not above the latest release {latest_version}"]
    return []


def check_benchmark(root: Path) -> list[str]:
    """Why ``bench/results.json`` may not go out with a release (empty when it may).

    A release's README quotes the benchmark, so the figures must have been measured, in
    full mode with every target passing, on exactly the library being released: a clean
    library at a commit whose ``src/article_data`` (the release record aside, which a release
    writes) equals HEAD's and the working tree's.
    """
    results = json.loads((root / "bench" / "results.json").read_text(encoding="utf-8"))
    commit, changed = results["source"].get("commit"), results["source"].get("changed_files", [])
    problems = []
    if not commit or any("src/article_data/" in f and str(RECORD) not in f for f in changed):
        problems.append("bench/results.json was not measured on a committed, clean library")
    if results["settings"].get("quick"):
        problems.append("bench/results.json is a --quick run")
    failing = [t["target"] for t in results["targets"] if t["status"] != "pass"]
    if failing:
        problems.append(f"benchmark targets not passing: {', '.join(failing)}")
    if commit and not problems:
        for against in ([commit, "HEAD"], [commit]):
            # The record of releases is what a release writes, not code that could change a figure.
            done = subprocess.run(
                ["git", "diff", "--stat", *against, "--", "src/article_data", f":(exclude){RECORD}"],
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0 or done.stdout:
                problems.append(
                    f"the library changed since the benchmark ran at {commit[:10]}: run `make bench` "
                    f"and commit bench/ first\n{done.stdout or done.stderr}"
                )
                break
    return problems


def _dist(root: Path, dist: Path, archive: Path) -> None:
    """The wheel, the sdist and the package zip in ``dist``, reproducibly, with SHA256SUMS."""
    dist.mkdir(parents=True, exist_ok=True)
    for old in dist.iterdir():
        old.unlink()
    env = dict(os.environ, SOURCE_DATE_EPOCH="315532800")  # 1980-01-01: no clock in the artifacts
    done = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(root)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"building the wheel and sdist failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    (dist / archive.name).write_bytes(archive.read_bytes())
    _write_sums(dist)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m article_data_build.release",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this one)")
    parser.add_argument("--from-git", metavar="COMMIT", help="take the published files from this git commit")
    parser.add_argument("--version", help="with --from-git: the version that commit released")
    parser.add_argument("--dist", type=Path, help="also write the wheel, sdist, zip and SHA256SUMS here")
    parser.add_argument(
        "--no-benchmark-check",
        action="store_true",
        help="skip the check that bench/results.json measured this library (a copy without its "
        "git history or its benchmark, as in the tests; `make release` never skips it)",
    )
    args = parser.parse_args(argv)
    if args.from_git:
        if not args.version:
            parser.error("--from-git needs --version")
        members = published_files(git=(args.root, args.from_git))
        version = args.version
    else:
        stale = [] if args.no_benchmark_check else check_benchmark(args.root)
        if stale:
            print(
                "release: refused; the README's benchmark figures must be the released library's:\n  "
                + "\n  ".join(stale),
                file=sys.stderr,
            )
            return 1
        members = release_members(args.root)
        version = json.loads(members["datapackage.json"])["version"]
    archive = write_release(args.root, members, version)
    if (args.root / RECORD).parent.is_dir():  # the library's anchor of trust, beside its code
        (args.root / RECORD).write_bytes(release_record(args.root))
    Package(archive).verify()
    print(f"release: {archive} ({len(members)} files, {archive.stat().st_size} bytes, {sha256(archive.read_bytes())})")
    if args.dist:
        _dist(args.root, args.dist, archive)
        print(f"release: {args.dist}: " + ", ".join(sorted(p.name for p in args.dist.iterdir())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
