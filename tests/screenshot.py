"""Screenshot of the page answering the Meta question: `python -m tests.screenshot OUT.png`.

Serves the index (default: index/) on a free loopback port, asks in headless Chromium,
opens the first passage's score breakdown, and saves the top of the page.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.web_support import chromium, running_app

QUESTION = "How much is Meta spending on AI infrastructure?"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="PNG to write")
    parser.add_argument("--index-dir", type=Path, default=Path("index"))
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--height", type=int, default=1180)
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--full-page", action="store_true")
    args = parser.parse_args(argv)

    from qa.store.index import load_index

    index = load_index(args.index_dir)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with running_app(index) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": args.width, "height": args.height},
                                color_scheme="dark" if args.dark else "light",
                                device_scale_factor=1)
        page.set_default_timeout(60_000)
        page.goto(url + ("?__theme=dark" if args.dark else ""))
        page.locator("#qa-question textarea").fill(QUESTION)
        page.locator("#qa-ask").click()
        page.locator(f'#qa-result .qa-result[data-question="{QUESTION}"]').wait_for()
        page.locator("#qa-result .qa-passage details summary").first.click()
        page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
        page.wait_for_timeout(400)  # the progress overlay fades out
        page.screenshot(path=str(args.out), full_page=args.full_page)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
