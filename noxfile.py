"""Every developer and CI command is a nox session."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "uv|virtualenv"

PYTHON = "3.11"


def install(session: nox.Session, *extras: str) -> None:
    spec = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", spec)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite."""
    install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def e2e(session: nox.Session) -> None:
    """End-to-end: the site and the forms in Debian's headless chromium, the Word report through
    LibreOffice (apt-get install chromium libreoffice-writer-nogui poppler-utils); images in
    e2e-screenshots/."""
    install(session, "e2e")
    session.run("pytest", "tests/e2e", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff, mypy, drift of generated files, actionlint, zizmor and GitLab's CI schema."""
    install(session, "lint")
    session.run("ruff", "check", "tooling", "tests", "noxfile.py", "site_src")
    session.run("ruff", "format", "--check", "tooling", "tests", "noxfile.py", "site_src")
    session.run("mypy")
    session.run("hoso", "schemas", "--check")
    session.run("hoso", "codeowners", "--check")
    session.run("actionlint", ".github/workflows/hoso.yml", ".github/workflows/gate.yml")
    session.run("zizmor", "--offline", ".github/workflows/hoso.yml", ".github/workflows/gate.yml")
    session.run("check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml")


@nox.session(python=PYTHON)
def schemas(session: nox.Session) -> None:
    """Regenerate schemas/ from the models."""
    install(session)
    session.run("hoso", "schemas")


@nox.session(python=PYTHON)
def validate(session: nox.Session) -> None:
    """Validate every record in cases/ and the governance files."""
    install(session)
    session.run("hoso", "validate", *session.posargs)


@nox.session(python=PYTHON)
def site(session: nox.Session) -> None:
    """Build the private site for each audience into site/<audience>/."""
    install(session)
    for audience in session.posargs or ["staff", "commission", "audit"]:
        session.run("hoso", "site", "--audience", audience)


@nox.session(python=PYTHON)
def serve(session: nox.Session) -> None:
    """Build the site of a sample province whose history went through merge requests, and
    serve it at http://127.0.0.1:8000 (`nox -s serve -- commission` or `-- audit` for more)."""
    install(session)
    audience = session.posargs[0] if session.posargs else "staff"
    records = ".hoso-mau"
    if not os.path.isdir(os.path.join(records, ".git")):
        session.run("hoso", "sample", "--history", "--out", records)
    session.run("hoso", "site", "--audience", audience, "--serve", "--records", records)


@nox.session(python=PYTHON)
def bench(session: nox.Session) -> None:
    """Benchmarks on generated repositories; figures as ratios to a baseline from the same run."""
    install(session)
    cases = os.environ.get("HOSO_BENCH_CASES", "50000")
    session.run("python", "-m", "hoso.bench", "--cases", cases, *session.posargs)
