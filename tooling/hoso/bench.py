"""Benchmarks on a generated province (``nox -s bench``).

Every figure is reported beside a baseline measured in the same run on the same files, because
the machines are shared and noisy: a ratio travels, a bare number does not.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import yaml

from hoso.repo import record_files
from hoso.sample.write import generate
from hoso.validate.cache import location
from hoso.validate.governance_files import _load, _remembered
from hoso.validate.run import Options, run


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _cpu_timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall time and CPU time (this process and the processes it waited for, git and workers
    included): on a shared machine the second says what the work cost, the first what it took."""
    import resource

    def cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    start, used = time.perf_counter(), cpu()
    action()
    return time.perf_counter() - start, cpu() - used


def _bare_parse(paths: list[Path]) -> None:
    """The baseline: read and parse every file in one process with libyaml, nothing else."""
    for path in paths:
        yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)


def bench_validation(root: Path) -> tuple[list[str], float]:
    """Report lines, and the cold validation time for the next benchmark's ratio."""
    paths = list(record_files(root))
    as_of = date.today()
    baseline = min(_timed(lambda: _bare_parse(paths)) for _ in range(2))
    stored = location(root)
    if stored is not None:
        stored.unlink(missing_ok=True)
    cold = _timed(lambda: run(Options(root, None, as_of)))
    warm = min(_timed(lambda: run(Options(root, None, as_of))) for _ in range(3))
    ten = paths[:: max(1, len(paths) // 10)][:10]
    hundred = paths[:: max(1, len(paths) // 100)][:100]

    def named(files: list[Path]) -> float:
        # A fresh process reads the governance from the git directory's store; so does each
        # timed run here.
        _remembered.cache_clear()
        return _timed(lambda: run(Options(root, files, as_of, use_cache=False)))

    named_10 = min(named(ten) for _ in range(3))
    named_100 = min(named(hundred) for _ in range(3))
    n = len(paths)
    lines = [*_against_check_jsonschema(root, paths)]
    lines += [
        f"files: {n}",
        f"baseline, bare libyaml parse, one process: {baseline:6.2f} s ({n / baseline:,.0f}/s)",
        f"validate, cold, {os.cpu_count()} cores:        {cold:6.2f} s = {cold / baseline:.2f}x",
        f"validate, warm, nothing changed:        {warm:6.2f} s = {warm / baseline:.3f}x",
        f"validate 10 named files, no cache:      {named_10:6.3f} s (governance from its store)",
        f"validate 100 named files, no cache:     {named_100:6.3f} s "
        f"= {named_100 / named_10:.1f}x the 10-file run",
    ]
    return lines, cold


def _against_check_jsonschema(root: Path, paths: list[Path]) -> list[str]:
    """Whole processes, as a pre-commit hook runs them: ``hoso validate`` of one file and of
    ten, beside ``check-jsonschema`` with the same schema on the same files (interleaved, best
    of five), and ``hoso --help``."""
    import subprocess

    schemas = Path(__file__).resolve().parents[2] / "schemas"
    checker = shutil.which("check-jsonschema")
    admissions = [p for p in paths if "/admission/" in p.as_posix()][:10]
    if checker is None or not admissions or not schemas.is_dir():
        return ["(check-jsonschema or admission files missing: comparison skipped)"]
    schema = str(schemas / "admission.schema.json")

    def timed(command: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(command, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    hoso = [sys.executable, "-m", "hoso.cli.main"]
    # Byte code, as an installed package has it (an editable install compiles on first use,
    # or never when PYTHONDONTWRITEBYTECODE is set), and one run to fill the stores a
    # repository keeps: the governance in its git directory, the calendar in the user's.
    package = Path(__file__).resolve().parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    subprocess.run([*hoso, "validate", str(admissions[0])], cwd=root, capture_output=True)
    out = []
    for files in (admissions[:1], admissions):
        names = [str(f) for f in files]
        ours, theirs = [], []
        for _ in range(5):
            ours.append(timed([*hoso, "validate", *names]))
            theirs.append(timed([checker, "--schemafile", schema, *names]))
        out.append(
            f"hoso validate of {len(files)} file(s): {min(ours):.3f} s; check-jsonschema: "
            f"{min(theirs):.3f} s = {min(ours) / min(theirs):.2f}x"
        )
    helps = [timed([*hoso, "--help"]) for _ in range(5)]
    out.append(f"hoso --help: {min(helps):.3f} s (target 0.15 s)")
    return out


_BENCH_GIT = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@mau.invalid",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@mau.invalid",
}


def as_repository(root: Path) -> None:
    """The generated province committed to a git repository of its own, as a province's
    records are: the stores a command keeps for the next live in its git directory (a folder
    outside git keeps none)."""
    import subprocess

    if (root / ".git").is_dir():
        return
    for args in (
        ["init", "-q", "-b", "main"],
        ["add", "cases", "governance"],
        ["commit", "-q", "-m", "Generated province"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=_BENCH_GIT)


def bench_review(root: Path, validate_cold: float | None) -> list[str]:
    """The gate on a merge request that corrects one record, in a repository of every case."""
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=_BENCH_GIT)

    as_repository(root)
    git("checkout", "-q", "-B", "bench-mr", "main")
    target = next(p for p in record_files(root) if "/exemption/" in p.as_posix())
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("  ethnicity: ", "  ethnicity: Mới ", 1), encoding="utf-8")
    git("commit", "-q", "-am", "Correct one record")
    git("checkout", "-q", "main")
    from hoso.git import Repo
    from hoso.review.gate import Requested, review

    def gate() -> None:
        _load.cache_clear()
        verdict = review(Requested(Repo(root), "main", "bench-mr"))
        assert len(verdict.outcomes) == 1

    took = min(_timed(gate) for _ in range(3))
    lines = [
        f"review of a one-record merge request:  {took:6.3f} s (governance parsed, "
        "git processes included)"
    ]
    if validate_cold:
        lines.append(f"  = {took / validate_cold:.4f}x the cold whole-repository validation")
    return lines


def bench_audit(root: Path, cases: int, seed: int) -> list[str]:
    """First and incremental audits of a generated history, beside the bare git walk."""
    import subprocess

    from hoso.audit.index import cache_path
    from hoso.audit.walk import build
    from hoso.git import Repo
    from hoso.sample.history import generate_history

    lines = []
    if not (root / ".git").is_dir():
        took = _timed(lambda: generate_history(root, cases, seed))
        lines.append(f"generated a history of {cases} cases in {took:.1f} s")
    count = subprocess.run(
        ["git", "rev-list", "--count", "main"], cwd=root, check=True, capture_output=True, text=True
    ).stdout.strip()

    def walk() -> None:
        subprocess.run(
            ["git", "log", "--first-parent", "--name-status", "main"],
            cwd=root,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    bare, bare_cpu = min(_cpu_timed(walk) for _ in range(2))
    shutil.rmtree(cache_path(root, "main").parent, ignore_errors=True)
    _load.cache_clear()
    command = [sys.executable, "-m", "hoso.cli.main", "audit", "--repo", str(root), "--quiet"]
    first, first_cpu, peak = _measured(command)
    stored = sum(f.stat().st_size for f in cache_path(root, "main").parent.iterdir())
    _add_merges(root, 100)
    again = _timed(lambda: build(Repo(root), "main"))
    lines += [
        f"history: {count} commits on main (merges and their branch commits)",
        f"bare git log --first-parent --name-status: {bare:6.2f} s (CPU {bare_cpu:6.2f} s)",
        f"first audit:                               {first:6.2f} s (CPU {first_cpu:6.2f} s)"
        f" = {first / bare:.1f}x bare ({first_cpu / bare_cpu:.1f}x its CPU time)",
        f"first audit's peak memory (all its processes, proportional set size): "
        f"{peak / 2**20:.0f} MB; its index: {stored / 2**20:.1f} MB",
        f"incremental audit after 100 more merges:   {again:6.2f} s",
    ]
    return lines


def _measured(command: list[str]) -> tuple[float, float, int]:
    """Wall time, CPU time (this command and everything it waited for) and the peak of the
    memory its process tree held (summed proportional set sizes, sampled every 0.2 s)."""
    import subprocess
    import threading

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    peak = 0

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            peak = max(peak, _tree_pss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    proc.wait()
    sampler.join()
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return took, cpu, peak


def _tree_pss(pid: int) -> int:
    """Bytes of memory a process and its descendants hold (proportional: shared pages split)."""
    total = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        todo.extend(int(c) for c in children)
    return total


def _add_merges(root: Path, count: int) -> None:
    import subprocess

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)

    targets = [p for p in record_files(root) if "/transfer/" in p.as_posix()][:count]
    for n, path in enumerate(targets):
        git("checkout", "-q", "-B", "bench-more", "main")
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("  ethnicity: ", "  ethnicity: X", 1), encoding="utf-8")
        git("commit", "-q", "-am", f"Correct {path.name}")
        git("checkout", "-q", "main")
        git(
            "merge",
            "-q",
            "--no-ff",
            "-m",
            f"Merge pull request #{900000 + n} from bench",
            "bench-more",
        )


def bench_site(root: Path, cases: int, seed: int) -> list[str]:
    """The commission's site (a page per case) and the staff site, each built whole from
    scratch (no facts kept from an earlier build), beside a plain mkdocs-material build of the
    same pages (same Markdown, same extensions, no hooks, no navigation of ours, no privacy
    check) in the same run; then the staff site again after 1% of the records changed, as the
    build after a day's merges is."""
    import subprocess
    import sys

    from hoso.site.pages import render_all

    project = Path(__file__).resolve().parents[2]
    if not (root / "cases").is_dir():
        generate(root, cases, seed)
    as_repository(root)
    shutil.copy(project / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(
        project / "site_src",
        root / "site_src",
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__"),
    )

    def mkdocs(folder: Path, audience: str, site: str) -> float:
        env = {**os.environ, "HOSO_AUDIENCE": audience, "HOSO_QUIET": "1"}
        command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(root / site)]
        return _timed(
            lambda: subprocess.run(command, cwd=folder, env=env, check=True, capture_output=True)
        )

    lines = []
    for audience in ("commission", "staff"):
        pages: dict[str, str] = {}

        def ours(audience: str = audience) -> None:
            nonlocal pages
            pages = render_all(root, audience)[1]  # type: ignore[arg-type]

        _forget_facts(root)
        generation = _timed(ours)
        _forget_facts(root)
        whole = mkdocs(root, audience, f"_site-{audience}")
        line = (
            f"site for {audience}, {cases} cases, {len(pages)} generated pages: whole build "
            f"{whole:6.1f} s (our generation {generation:5.1f} s)"
        )
        plain = None
        if len(pages) <= _PLAIN_PAGES:
            plain = mkdocs(_plain_project(root / f"_plain-{audience}", pages), audience, "_plain")
            line += f"; plain mkdocs-material, same pages {plain:6.1f} s = {whole / plain:.2f}x"
        lines.append(line)
        if audience == "staff":
            # The build after a day's merges: the store of the build before knows every
            # record but the ones that changed.
            originals = _change_records(root, max(1, cases // 100))
            try:
                again = _timed(ours)
                after = mkdocs(root, audience, f"_site-{audience}")
            finally:  # a kept folder stays as generated, for the next run's other benches
                for path, raw in originals.items():
                    path.write_bytes(raw)
            changed = len(originals)
            line = (
                f"  the next build, {changed} records changed since: whole build {after:6.1f} s "
                f"(our generation {again:5.1f} s)"
            )
            if plain is not None:
                line += f" = {after / plain:.2f}x"
            lines.append(line)
        lines += _site_sizes(root / f"_site-{audience}")
    return lines


def _forget_facts(root: Path) -> None:
    """A build from scratch: no store of facts from an earlier build."""
    from hoso.validate.cache import location

    path = location(root, "site.pickle")
    if path is not None:
        path.unlink(missing_ok=True)


def _change_records(root: Path, count: int) -> dict[Path, bytes]:
    """Change ``count`` case files, spread over the province (a comment added); what each
    held before."""
    files = sorted((root / "cases").rglob("*.yaml"))
    step = max(1, len(files) // count)
    originals = {path: path.read_bytes() for path in files[::step][:count]}
    for path, raw in originals.items():
        path.write_bytes(raw + "# bench: sửa lại\n".encode())
    return originals


_PLAIN_PAGES = 3000
"""Above this many pages the plain build is left out: it writes the whole navigation into
every page, so its time grows with the square of the pages (24 s for 1,100 here)."""


def _plain_project(folder: Path, pages: dict[str, str]) -> Path:
    """A bare mkdocs-material project holding ``pages`` as they are."""
    shutil.rmtree(folder, ignore_errors=True)
    for rel, text in pages.items():
        path = folder / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "mkdocs.yml").write_text(
        "site_name: plain\nuse_directory_urls: false\ntheme:\n  name: material\n"
        "markdown_extensions: [admonition, attr_list, md_in_html, tables, pymdownx.details, toc]\n",
        encoding="utf-8",
    )
    return folder


def _site_sizes(site: Path) -> list[str]:
    """What a reader downloads: the theme's search index (every page fetches it), one case
    page and its share of navigation, and the case index fetched word by word."""
    import re

    index = site / "search" / "search_index.json"
    shards = sorted((site / "tim-kiem").glob("*.json"))
    case = next(iter(sorted((site / "ho-so").glob("*.html"))), None)
    lines = [
        f"  search index every page loads: {index.stat().st_size / 1024:8.1f} KB",
        f"  case index: {len(shards)} files, {sum(p.stat().st_size for p in shards) / 1024:8.1f}"
        f" KB in all, the largest {max((p.stat().st_size for p in shards), default=0) / 1024:.1f}"
        " KB",
    ]
    if case is not None:
        html = case.read_text(encoding="utf-8")
        nav = re.search(r'<nav class="md-nav md-nav--primary[^"]*".*</nav>', html, re.S)
        lines.append(
            f"  a case page: {len(html.encode()) / 1024:.1f} KB, of which the navigation "
            f"{len(nav[0].encode()) / 1024 if nav else 0:.1f} KB"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=2019)
    parser.add_argument("--keep", type=Path, help="generate into (or reuse) this folder")
    parser.add_argument("--only", choices=["validate", "audit", "site"], help="run one benchmark")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="hoso-bench-"))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    try:
        if not (root / "cases").is_dir() and args.only in (None, "validate"):
            took = _timed(lambda: generate(root, args.cases, args.seed))
            print(f"generated {args.cases} cases in {took:.1f} s")
        if args.only in (None, "validate"):
            as_repository(root)
        if args.only in (None, "validate"):
            lines, cold = bench_validation(root)
            for line in lines:
                print(line, flush=True)
            for line in bench_review(root, cold):
                print(line, flush=True)
        if args.only in (None, "site"):
            small = root.with_name(root.name + "-site-small")
            for line in bench_site(small, max(args.cases // 10, 50), args.seed):
                print(line, flush=True)
            for line in bench_site(root.with_name(root.name + "-site"), args.cases, args.seed):
                print(line, flush=True)
        if args.only in (None, "audit"):
            for line in bench_audit(root.with_name(root.name + "-history"), args.cases, args.seed):
                print(line, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
            for suffix in ("-history", "-site", "-site-small"):
                shutil.rmtree(root.with_name(root.name + suffix), ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
