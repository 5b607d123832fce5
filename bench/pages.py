"""Page benchmark: server time and transferred size of the public pages, against a framework floor.

Run: ``.venv/bin/python bench/pages.py [--requests N] [--warmup N] [--profile] [--postgres]``.
Goals: article page p95 <= 15 ms server time; <= 60 KB transferred without images (HTML + CSS + JS).

A benchmark, not a test: it prints figures and PASS/MISS next to each goal, and exits 0 either way.

How: a fresh SQLite database in a temporary folder (``CLEARLINE_ENV=test``), ``migrate`` and ``load_demo_data``,
then N requests per page through ``django.test.Client`` (the full middleware stack, the same WSGI handler a
server calls) after a warm-up. The time is ``perf_counter_ns`` around ``client.get``. Two baselines run in the
same process through the same stack: a trivial ``HttpResponse``, and the article's own HTML saved to a file and
served by ``django.views.static.serve``; the gap between them and the article is what our page costs.
``--postgres`` re-runs this script under ``tools/with_postgres.py`` (a throw-away PostgreSQL server).
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import math
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_DIR = ROOT / "clearline" / "static" / "clearline"
ARTICLE = "/heroin/self-medicating-with-heroin/"
PAGES = [
    ("article", ARTICLE),
    ("topic", "/heroin/"),
    ("where-do-calls-go", "/where-do-calls-go/"),
    ("home", "/"),
]
BASELINE_TRIVIAL = "/__bench__/trivial/"
BASELINE_STATIC = "/__bench__/static/article.html"
GOAL_P95_MS = 15.0
GOAL_BYTES = 60 * 1024
# Set in the child when --postgres re-runs this script, so it keeps the DATABASE_URL with_postgres.py exported.
EXTERNAL_DB_FLAG = "CLEARLINE_BENCH_EXTERNAL_DB"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=300, help="timed requests per page (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per page first (default 30)")
    parser.add_argument("--profile", action="store_true", help="also cProfile 100 article requests")
    parser.add_argument("--postgres", action="store_true", help="run against a throw-away PostgreSQL server")
    return parser.parse_args()


def reexec_under_postgres() -> None:
    """Replace this process with tools/with_postgres.py running this script again without --postgres."""
    argv = [a for a in sys.argv[1:] if a != "--postgres"]
    os.environ[EXTERNAL_DB_FLAG] = "1"
    helper = str(ROOT / "tools" / "with_postgres.py")
    # A fixed argument list, no shell: this script again, under the helper that starts PostgreSQL.
    os.execv(sys.executable, [sys.executable, helper, "--", sys.executable, str(Path(__file__)), *argv])  # noqa: S606


def configure_environment(tmp: Path) -> str:
    """Environment for settings.py; must run before django.setup(). Returns a label for the database."""
    os.environ["CLEARLINE_ENV"] = "test"
    # STATIC_ROOT and MEDIA_ROOT in the temporary folder too, not in the checkout's var/.
    os.environ["CLEARLINE_VAR_DIR"] = str(tmp)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "clearline.settings"
    if os.environ.get(EXTERNAL_DB_FLAG) and os.environ.get("DATABASE_URL"):
        return "PostgreSQL (tools/with_postgres.py)"
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    return f"SQLite in {tmp}"


def install_bench_urls(static_root: Path) -> None:
    """The site's URLs plus two baseline routes, so baselines pass through the same middleware stack."""
    from django.conf import settings
    from django.http import HttpRequest, HttpResponse
    from django.urls import clear_url_caches, path
    from django.views.static import serve

    from clearline import urls as site_urls

    def trivial(request: HttpRequest) -> HttpResponse:
        return HttpResponse(b"<!doctype html><title>ok</title>", content_type="text/html; charset=utf-8")

    module = types.ModuleType("clearline_bench_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path(BASELINE_TRIVIAL.strip("/") + "/", trivial),
        path("__bench__/static/<path:path>", serve, {"document_root": str(static_root)}),
        *site_urls.urlpatterns,
    ]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()


@dataclass
class Timing:
    name: str
    path: str
    status: int
    samples_ms: list[float]
    cpu_ms: list[float]
    queries: int

    def percentile(self, q: float, cpu: bool = False) -> float:
        """Nearest-rank percentile of the wall-clock (or, with cpu=True, the thread CPU) samples."""
        ordered = sorted(self.cpu_ms if cpu else self.samples_ms)
        rank = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
        return ordered[rank]


def time_page(
    client: object, name: str, path: str, requests: int, warmup: int, uncached: bool = False
) -> Timing:
    """Time ``path``. With ``uncached``, the page cache is emptied before every request, so each one renders the
    page in full (what the first visitor after an edit, or every editor, gets)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plain_get = client.get  # type: ignore[attr-defined]

    def get(p: str) -> object:
        if uncached:
            cache.clear()
        return plain_get(p)

    for _ in range(warmup):
        response = get(path)
    with CaptureQueriesContext(connection) as captured:
        response = get(path)
    queries = len(captured)  # read now: the next request clears the connection's query log
    samples, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        get(path)
        cpu.append((time.thread_time_ns() - start_cpu) / 1e6)
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return Timing(name, path, response.status_code, samples, cpu, queries)


def linked_assets(html: str) -> list[str]:
    """Stylesheets, scripts and images the page asks the browser to fetch from this site."""
    found = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', html)
    found += re.findall(r'<script[^>]+src="([^"]+)"', html)
    found += re.findall(r'<link[^>]+rel="(?:shortcut )?icon"[^>]+href="([^"]+)"', html)
    found += re.findall(r'<img[^>]+src="([^"]+)"', html)
    return found


def describe_uncounted(url: str) -> str:
    """Size of an asset left out of the total (images: the goal is "without images")."""
    local = STATIC_DIR / url.removeprefix("/static/clearline/")
    if url.startswith("/static/clearline/") and local.is_file():
        body = local.read_bytes()
        return f"{url} ({kb(len(body))}, gzip {kb(len(gzip.compress(body, 6)))}; an image)"
    return url


def size_row(label: str, body: bytes) -> tuple[str, int, int]:
    return label, len(body), len(gzip.compress(body, 6))


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def profile_article(client: object, rounds: int = 100) -> str:
    """cProfile the article page; list Clearline's and Wagtail's own functions by cumulative time."""
    profiler = cProfile.Profile()
    get = client.get  # type: ignore[attr-defined]
    profiler.enable()
    for _ in range(rounds):
        get(ARTICLE)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    out.write(f"cProfile of {rounds} article requests (profiling roughly doubles the times):\n")
    stats.sort_stats("cumulative").print_stats(r"/clearline/|/wagtail/(views|models/(pages|sites|i18n))", 30)
    site_packages = f"{sys.prefix}/lib/python{sys.version_info.major}.{sys.version_info.minor}/site-packages/"
    return out.getvalue().replace(site_packages, "").replace(f"{ROOT}/", "")


def _short(filename: str, lineno: int, name: str) -> str:
    marker = "site-packages/"
    path = Path(filename)
    shown = path.name
    if marker in filename:
        shown = filename.split(marker, 1)[1]
    elif path.is_relative_to(ROOT):
        shown = str(path.relative_to(ROOT))
    return f"{shown}:{lineno} {name}"


def count_queries_by_origin(client: object) -> list[tuple[str, int]]:
    """Group one article request's queries by the code that asked for them.

    The origin is the innermost Clearline frame; when that is only the middleware (the query came from Wagtail
    serving the page or from a template variable such as ``page.author``), the innermost frame outside
    Django's ORM and template engine is named instead.
    """
    import traceback

    from django.db import connection

    skip = ("/django/db/", "/django/utils/", "/django/template/", "/modelcluster/", "/django/test/")
    origins: dict[str, int] = {}

    def wrapper(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        frames = traceback.extract_stack()[:-1]
        own = next(
            (
                f
                for f in reversed(frames)
                if f"{ROOT}/clearline/" in f.filename and "/lib/security" not in f.filename
            ),
            None,
        )
        if own is None:
            own = next((f for f in reversed(frames) if not any(s in f.filename for s in skip)), frames[-1])
        table = re.search(r'FROM "?(\w+)"?', sql)
        key = f"{_short(own.filename, own.lineno or 0, own.name)}  [{table.group(1) if table else sql[:20]}]"
        origins[key] = origins.get(key, 0) + 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        client.get(ARTICLE)  # type: ignore[attr-defined]
    return sorted(origins.items(), key=lambda kv: -kv[1])


def main() -> int:
    args = parse_args()
    if args.postgres and not os.environ.get(EXTERNAL_DB_FLAG):
        reexec_under_postgres()
    tmp = Path(tempfile.mkdtemp(prefix="clearline-bench-"))
    (tmp / "static").mkdir()  # STATIC_ROOT; WhiteNoise warns when it is missing
    database = configure_environment(tmp)

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    t0 = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo_data", stdout=io.StringIO())
    setup_s = time.perf_counter() - t0

    client = Client()
    article = client.get(ARTICLE)
    if article.status_code != 200:
        print(f"{ARTICLE} answered {article.status_code}; cannot benchmark.", file=sys.stderr)
        return 0
    html = article.content
    static_root = tmp / "baseline"
    static_root.mkdir()
    (static_root / "article.html").write_bytes(html)
    install_bench_urls(static_root)

    timings = [time_page(client, name, path, args.requests, args.warmup) for name, path in PAGES]
    timings.append(time_page(client, "article, uncached", ARTICLE, args.requests, args.warmup, uncached=True))
    timings.append(time_page(client, "baseline: trivial", BASELINE_TRIVIAL, args.requests, args.warmup))
    timings.append(time_page(client, "baseline: static", BASELINE_STATIC, args.requests, args.warmup))

    print(f"Clearline page benchmark: {database}; setup (migrate + demo data) {setup_s:.1f} s")
    print(
        f"{args.requests} timed requests per row after {args.warmup} warm-ups; Python {sys.version.split()[0]}"
    )
    print()
    header = (
        f"{'page':<19}{'path':<38}{'status':>6}{'p50 ms':>8}{'p95 ms':>8}{'mean ms':>8}"
        f"{'cpu p50':>8}{'cpu p95':>8}{'queries':>8}"
    )
    print(header)
    print("-" * len(header))
    for t in timings:
        print(
            f"{t.name:<19}{t.path:<38}{t.status:>6}{t.percentile(50):>8.2f}{t.percentile(95):>8.2f}"
            f"{statistics.fmean(t.samples_ms):>8.2f}{t.percentile(50, cpu=True):>8.2f}"
            f"{t.percentile(95, cpu=True):>8.2f}{t.queries:>8}"
        )
    print(
        "Times are wall clock around client.get (the WSGI handler plus the test client's small overhead);\n"
        "cpu = this thread's CPU time for the same request, which a busy machine inflates less."
    )
    by_name = {t.name: t for t in timings}
    art, floor = by_name["article"], by_name["baseline: static"]
    print()
    print(
        f"Article over the static-file floor: p50 +{art.percentile(50) - floor.percentile(50):.2f} ms, "
        f"p95 +{art.percentile(95) - floor.percentile(95):.2f} ms "
        f"(x{art.percentile(50) / max(floor.percentile(50), 1e-9):.0f} at p50)"
    )

    assets = linked_assets(html.decode())
    known = {"/static/clearline/site.css": "site.css", "/static/clearline/site.js": "site.js"}
    rows = [size_row("HTML " + ARTICLE, html)]
    for url, filename in known.items():
        rows.append(size_row(url, (STATIC_DIR / filename).read_bytes()))
    total_raw = sum(r[1] for r in rows)
    total_gz = sum(r[2] for r in rows)
    print()
    print(f"{'transferred (article)':<40}{'raw':>12}{'gzip -6':>12}")
    for label, raw, gz in rows:
        print(f"{label:<40}{kb(raw):>12}{kb(gz):>12}")
    print(f"{'total':<40}{kb(total_raw):>12}{kb(total_gz):>12}")
    unexpected = [a for a in assets if a not in known]
    print(f"Assets linked by the page: {', '.join(assets) or 'none'}")
    if unexpected:
        print(f"  not counted above: {', '.join(describe_uncounted(a) for a in unexpected)}")
    gzip_html = "gzip" in (article.get("Content-Encoding") or "")
    print(
        "HTML Content-Encoding from Django: "
        f"{article.get('Content-Encoding') or 'none (compression is left to the front proxy)'}"
    )

    p95 = art.percentile(95)
    print()
    print("Goals")
    print(f"  article p95 server time <= {GOAL_P95_MS:.0f} ms: {p95:.2f} ms  {verdict(p95 <= GOAL_P95_MS)}")
    print(
        f"  article transferred <= 60 KB (no images), gzip: {kb(total_gz)}  {verdict(total_gz <= GOAL_BYTES)}"
    )
    raw_note = "" if gzip_html else " (what Django sends today without a compressing proxy)"
    print(
        f"  article transferred <= 60 KB (no images), raw: {kb(total_raw)}  "
        f"{verdict(total_raw <= GOAL_BYTES)}{raw_note}"
    )
    print(f"  SQL queries per article request: {art.queries}")

    if args.profile or p95 > GOAL_P95_MS:
        print()
        print("Queries of one article request, by the code that asked for them [table]:")
        for origin, n in count_queries_by_origin(client):
            print(f"  {n:>3}  {origin}")
    if args.profile:
        print()
        print(profile_article(client))
    elif p95 > GOAL_P95_MS:
        print("Run with --profile for a cProfile breakdown of the article request.")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
