"""Regenerate the README's screenshots of the annotated page in headless Chromium.

Renders the bundled package with ``article_data.render_html`` into a temporary
folder, then has Debian's ``chromium`` (``make browser`` installs it) photograph it offline:

    python scripts/screenshot.py            # writes docs/article.png and docs/article-phone.png
    python scripts/screenshot.py --out /tmp/shots --chromium /usr/bin/chromium

The page's browser tests (tests/test_render_browser.py) drive Chromium through the functions
here, so the commands the README's pictures come from are the tested ones.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
#: (file name, window width, window height) of each screenshot.
SHOTS: tuple[tuple[str, int, int], ...] = (("article.png", 1280, 2000), ("article-phone.png", 390, 2400))
TIMEOUT = 120.0
#: Headless Chromium never makes its window narrower than this (CSS pixels); narrower
#: layouts are rendered in an iframe of the wanted width at the window's left edge.
MIN_WINDOW_WIDTH = 500

# Headless, offline and quiet: no sandbox (tests run as root in containers), no
# first-run, sync, update or background traffic, and every host name resolves to
# nothing, so a page that needed the network would visibly break.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars",
    "--mute-audio",
    "--force-device-scale-factor=1",
)


def find_chromium() -> Path | None:
    """Return Debian's Chromium, or another ``chromium`` on PATH, or None."""
    if DEBIAN_CHROMIUM.exists():
        return DEBIAN_CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


def run_chromium(chromium: Path, page: Path, width: int, height: int, *extra: str, timeout: float = TIMEOUT) -> str:
    """Open ``page`` at a window size with extra flags in a throw-away profile; return stdout."""
    with tempfile.TemporaryDirectory(prefix="article-data-chromium-") as profile:
        command = [
            str(chromium),
            *_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            *extra,
            page.resolve().as_uri(),
        ]
        env = dict(os.environ, HOME=profile)  # keep caches and crash dumps out of the real home
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL, check=False
        )
    if result.returncode != 0:
        raise RuntimeError(f"{chromium} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result.stdout


def framed(page: Path, width: int, height: int) -> Path:
    """Return a page beside ``page`` that shows it in a ``width`` x ``height`` iframe.

    The frame's viewport is what the page's media queries see, so this lays the
    page out at phone width although the window cannot be that narrow. Values a
    page posts as ``{"probe": {...}}`` to its parent become ``data-probe-*``
    attributes of the frame page's root element, where ``--dump-dom`` shows them.
    """
    wrapper = page.with_name(f".{page.stem}-{width}x{height}.frame.html")
    wrapper.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        f"html,body{{margin:0;overflow:hidden;background:#fff}}iframe{{display:block;border:0;width:{width}px;height:{height}px}}"
        "</style><script>addEventListener('message',function(e){var p=e.data&&e.data.probe;"
        "if(p)for(var k in p)document.documentElement.setAttribute('data-probe-'+k,String(p[k]));});</script></head>"
        f'<body><iframe scrolling="no" src="{page.name}" title="page"></iframe></body></html>',
        encoding="utf-8",
    )
    return wrapper


def _window(page: Path, width: int, height: int) -> tuple[Path, int]:
    """The page to open and the window width for a layout ``width`` CSS pixels wide."""
    if width >= MIN_WINDOW_WIDTH:
        return page, width
    return framed(page, width, height), width


def dump_dom(chromium: Path, page: Path, width: int = 1280, height: int = 2000, *, budget_ms: int = 2000) -> str:
    """Return the DOM after the scripts ran (``budget_ms`` of virtual time): the page's own, or at widths under 500px the frame page's."""
    target, window = _window(page, width, height)
    return run_chromium(chromium, target, window, height, "--dump-dom", f"--virtual-time-budget={budget_ms}")


def screenshot(chromium: Path, page: Path, png: Path, width: int, height: int) -> Path:
    """Write a ``width`` x ``height`` PNG of the top of the page, laid out ``width`` CSS pixels wide, to ``png``."""
    png.parent.mkdir(parents=True, exist_ok=True)
    target, window = _window(page, width, height)
    # The screenshot has the requested window size even where the layout viewport is wider.
    run_chromium(
        chromium,
        target,
        window,
        height,
        f"--screenshot={png.resolve()}",
        "--virtual-time-budget=2000",
        "--run-all-compositor-stages-before-draw",
    )
    if not png.is_file() or png.stat().st_size == 0:
        raise RuntimeError(f"{chromium} wrote no screenshot to {png}")
    return png


def shrink(png: Path) -> None:
    """Re-encode a screenshot with an adaptive 256-colour palette when Pillow is installed (about a third the bytes)."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(png) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(png, optimize=True)


def write_page(out: Path, root: Path | None = None) -> Path:
    """Render the package (the bundled one unless ``root``) to ``out/article.html``."""
    import article_data as ad

    pkg = ad.Package(root) if root else ad.Package(ad.path())
    out.mkdir(parents=True, exist_ok=True)
    page = out / "article.html"
    page.write_text(ad.render_html(pkg), encoding="utf-8")
    return page


def main(argv: Sequence[str] | None = None) -> int:
    """Render the page and write the screenshots; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="folder for the PNGs (default: docs/)")
    parser.add_argument("--chromium", type=Path, default=None, help="the browser (default: /usr/bin/chromium)")
    parser.add_argument("--root", type=Path, default=None, help="another copy of the package to render")
    parser.add_argument("--keep-colours", action="store_true", help="keep full-colour PNGs (do not shrink them)")
    args = parser.parse_args(argv)
    chromium = args.chromium or find_chromium()
    if chromium is None:
        print(
            "screenshot: no chromium found; install it with `make browser` (apt-get install chromium)", file=sys.stderr
        )
        return 1
    with tempfile.TemporaryDirectory(prefix="article-data-page-") as folder:
        page = write_page(Path(folder), args.root)
        for name, width, height in SHOTS:
            png = screenshot(chromium, page, args.out / name, width, height)
            if not args.keep_colours:
                shrink(png)
            print(f"wrote {png} ({width}x{height}, {png.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
