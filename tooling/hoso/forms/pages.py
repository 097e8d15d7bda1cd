"""The pages of the forms: finding a case, reading it, recording a step, opening a case, and
sending the work for approval. Every write goes through ``hoso.editing`` and every send through
``hoso.submit``, in the case's own worktree (``workspace``)."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Response

from hoso import clock, editing, labels
from hoso.cli.event_options import build_event
from hoso.cli.new import build_case, cell_unit
from hoso.forms import fields as F
from hoso.forms import typed as T
from hoso.forms.auth import MAX_PASSWORD, Person, Session, Users, person
from hoso.forms.index import CaseIndex, Entry, read_case, search, visible
from hoso.forms.server import Base, Context, Refusal
from hoso.forms.workspace import Workspace
from hoso.governance import Governance
from hoso.models import ID_PREFIX, Case, PlanRecord, RankingRecord
from hoso.repo import expected_path
from hoso.review.gate import Requested, Verdict, review
from hoso.rules.deadlines import pending
from hoso.rules.workflow import ACTOR_LABELS, WORKFLOWS
from hoso.validate.governance_files import governance_at
from hoso.validate.record import model_of, parse, validate_model
from hoso.views.nextsteps import NextStep, next_steps

CASE_ID = re.compile(r"^[A-Z]{2}-[0-9]{4}-[0-9a-z]{6}$")
TOKEN = re.compile(r"^[0-9a-z]{6}$")
CHANGED = (
    "Hồ sơ đã được người khác cập nhật sau khi bạn mở biểu mẫu; bước của bạn chưa được ghi. "
    "Đây là tình trạng mới của hồ sơ: hãy xem lại rồi ghi nếu bước đó vẫn cần."
)
MAX_TOKENS = 100
"""New-case forms a session may hold open at once (the oldest beyond that must be reopened)."""
KINDS = ("admission", "screening", "discipline", "transfer", "exemption")

URLS = Map(
    [
        Rule("/", endpoint="home", methods=["GET"]),
        Rule("/ho-so/<case_id>", endpoint="case", methods=["GET"]),
        Rule("/ho-so/<case_id>/buoc/<state>", endpoint="step", methods=["GET", "POST"]),
        Rule("/ho-so/<case_id>/gui", endpoint="send", methods=["POST"]),
        Rule("/ho-so/<case_id>/cong", endpoint="gate", methods=["GET"]),
        Rule("/mo-ho-so", endpoint="kinds", methods=["GET"]),
        Rule("/mo-ho-so/<kind>", endpoint="new", methods=["GET", "POST"]),
        Rule("/dang-nhap", endpoint="login", methods=["GET", "POST"]),
        Rule("/dang-xuat", endpoint="logout", methods=["POST"]),
        Rule("/cap-nhat", endpoint="refresh", methods=["POST"]),
    ],
    strict_slashes=False,
)


@dataclass
class Loaded:
    entry: Entry
    raw: bytes
    worktree: Path | None
    case: Case
    steps: list[NextStep]


class Forms(Base):
    url_map = URLS

    def __init__(
        self,
        workspace: Workspace,
        users: Users | None,
        allowed_hosts: set[str] | None,
        secure_cookie: bool = False,
        today: Callable[[], date] = clock.today,
    ) -> None:
        super().__init__(allowed_hosts, secure_cookie)
        self.workspace = workspace
        self.users = users
        self.today = today
        self.index = CaseIndex(workspace)
        self._governance: tuple[str, Governance] = ("", Governance())
        self._lock = threading.Lock()
        self.jinja.globals.update(
            label=labels.label,
            state_label=labels.state,
            kind_label=labels.kind,
            day=labels.day,
            said=T.message,
            body=lambda code: labels.body(self.governance(), code),
            unit=lambda code: labels.unit(self.governance(), code),
            kinds=[(k, labels.kind(k)) for k in KINDS],
        )

    # Who, and what they may see ---------------------------------------------------------------

    def governance(self) -> Governance:
        """The governance of the target branch (what the worktrees are judged against)."""
        commit = self.workspace.base_commit()
        with self._lock:
            if self._governance[0] != commit:
                loaded, _ = governance_at(self.workspace.git, commit)
                self._governance = (commit, loaded)
            return self._governance[1]

    def person_of(self, session: Session) -> Person | None:
        if self.users is None or session.login is None:
            return None
        if self.users.stamp(session.login) != session.stamp:
            # The password was changed (or the login removed) since this session logged in:
            # whoever held the old one is out.
            session.login = None
            return None
        return person(self.governance(), session.login, self.today())

    def may_enter(self, ctx: Context, endpoint: str) -> Response | None:
        if self.users is None or endpoint == "login":
            return None
        if ctx.person is None:
            ctx.session.login = None
            return self.redirect("/dang-nhap")
        return None

    def author(self, ctx: Context) -> str | None:
        """Who what this request writes or sends is committed as: the person logged in (None
        without logins: git's own user). A person whose e-mail committees.yaml does not give
        cannot be named, and the gate, not knowing them for the author, would count their own
        approval: they may read, never write."""
        if self.users is None or ctx.person is None:
            return None
        if ctx.person.author is None:
            raise Refusal(
                403,
                "governance/committees.yaml chưa ghi email của bạn, nên biểu mẫu không ghi được "
                "bạn là người thực hiện thay đổi; chưa ghi gì. Hãy đề nghị bổ sung email của bạn "
                "vào governance/committees.yaml.",
            )
        return ctx.person.author

    def allowed(self, ctx: Context) -> frozenset[str] | None:
        return ctx.person.units if self.users is not None and ctx.person else None

    def globals(self, ctx: Context) -> dict[str, Any]:
        return {"login_required": self.users is not None}

    def load(self, ctx: Context, case_id: str) -> Loaded:
        """The case as the forms see it now, or 404 (also for a case the person may not see)."""
        if not CASE_ID.fullmatch(case_id):
            raise Refusal(404, f"Không có hồ sơ {case_id!r}.")
        governance = self.governance()
        entry = self.index.entries().get(case_id)
        allowed = self.allowed(ctx)
        if entry is None or (allowed is not None and not visible(entry, governance, allowed)):
            raise Refusal(404, f"Không có hồ sơ {case_id} (hoặc bạn không phụ trách hồ sơ này).")
        raw, worktree = read_case(self.workspace, entry)
        text, data, problems = parse(raw)
        record = None
        model = model_of(data) if data is not None else None
        if model is not None and text is not None:
            record, problems = validate_model(text, data, model)
        if record is None or isinstance(record, (PlanRecord, RankingRecord)):
            why = "; ".join(p.message for p in problems) or "không phải hồ sơ vụ việc"
            raise Refusal(409, f"{entry.rel}: không đọc được hồ sơ: {why}")
        steps = next_steps(self.workspace.root, entry.rel, raw, governance, self.today())
        return Loaded(entry, raw, worktree, record, steps)

    # Pages ------------------------------------------------------------------------------------

    def page_home(self, ctx: Context) -> Response:
        args = ctx.request.args
        query = args.get("q", "").strip()[:200]
        kind = args.get("kind") if args.get("kind") in KINDS else None
        governance = self.governance()
        entries = self.index.entries()
        allowed = self.allowed(ctx)
        hits, total = search(entries, governance, query, kind, None, allowed)
        return self.render(
            ctx, "home.html", query=query, kind=kind, hits=hits, total=total,
            searched=bool(query or kind),
        )  # fmt: skip

    def page_case(self, ctx: Context, case_id: str) -> Response:
        loaded = self.load(ctx, case_id)
        return self.render(ctx, "case.html", **self.case_values(loaded))

    def case_values(self, loaded: Loaded) -> dict[str, Any]:
        governance = self.governance()
        work: dict[str, Any] = {}
        if loaded.worktree is not None:
            work = {
                "changed": self.workspace.changed(loaded.worktree),
                "ahead": self.workspace.ahead(loaded.worktree),
                "pushed": self.workspace.pushed(loaded.worktree, loaded.case.id),
                "branch": self.workspace.branch_of(loaded.case.id),
                "remote": self.workspace.has_remote(),
            }
        return {
            "entry": loaded.entry,
            "case": loaded.case,
            "version": editing.version(loaded.raw),
            "possible": [s for s in loaded.steps if s.possible],
            "later": [s for s in loaded.steps if not s.possible],
            "actor": ACTOR_LABELS,
            "dues": pending(loaded.case, governance),
            "today": self.today(),
            "work": work,
        }

    def page_step(self, ctx: Context, case_id: str, state: str) -> Response:
        loaded = self.load(ctx, case_id)
        self.author(ctx)
        kind = loaded.case.kind
        form = ctx.request.form
        if ctx.request.method == "POST" and form.get("version") != editing.version(loaded.raw):
            return self.sent_again(ctx, case_id, kind, state, form) or self.changed(
                ctx, case_id, state, form, CHANGED
            )
        step = next((s for s in loaded.steps if s.state == state and s.possible), None)
        if step is None:
            raise Refusal(
                404,
                f"Không thể ghi bước {labels.state(kind, state)!r} cho hồ sơ {case_id} bây giờ; "
                "trang hồ sơ nêu các bước ghi được.",
            )
        if ctx.request.method == "GET":
            return self.step_form(ctx, loaded, step, {}, {})
        try:
            given = T.read_event(form, form.getlist)
            if given.get("body") not in step.bodies:
                raise T.Invalid({"body": "hãy chọn một tổ chức trong danh sách"})
            # The default acting body, as 'hoso transition' takes it: the member's cell, or the
            # organisation a discipline is about.
            case = loaded.case
            default = str(getattr(case, "cell", None) or getattr(case, "organisation", ""))
            event = build_event(state, default, self.governance(), **given)
        except T.Invalid as exc:
            return self.step_form(ctx, loaded, step, form, exc.errors, status=422)
        except click.ClickException as exc:
            errors = {T.click_field(exc) or "_": T.click_said(exc)}
            return self.step_form(ctx, loaded, step, form, errors, status=422)
        try:
            written = self.record(ctx, loaded, event, form.get("version", ""))
        except editing.Changed:
            return self.sent_again(ctx, case_id, kind, state, form) or self.changed(
                ctx, case_id, state, form, CHANGED
            )
        except editing.Refused as exc:
            found = T.placed(exc, len(loaded.case.history), kind)
            why = "Chưa ghi gì: bước này sẽ làm hồ sơ không hợp lệ. Hãy sửa các chỗ nêu dưới đây."
            return self.step_form(ctx, loaded, step, form, found, status=422, why=why)
        self.flash(ctx, "ok", f"Đã ghi bước “{labels.state(kind, state)}” vào hồ sơ {case_id}.")
        for warning in written.warnings:
            self.flash(ctx, "warn", T.message(warning, kind))
        return self.redirect(f"/ho-so/{case_id}")

    def record(self, ctx: Context, loaded: Loaded, event: dict[str, Any], version: str) -> Any:
        case_id, rel = loaded.case.id, loaded.entry.rel
        with self.workspace.case_lock(case_id):
            tree = self.workspace.open(case_id, rel)
            try:
                written = editing.record_step(tree, tree / rel, event, self.today(), version)
                self.workspace.wrote(case_id, self.author(ctx))
                sent = ctx.session.steps_sent
                for stale in list(sent)[: max(0, len(sent) - MAX_TOKENS + 1)]:
                    sent.pop(stale, None)
                # Noted before the lock is let go, where a second send waits for it.
                sent[f"{case_id}@{version}"] = _filled(ctx.request.form)
                return written
            finally:
                self.workspace.discard_if_empty(case_id)

    def sent_again(
        self, ctx: Context, case_id: str, kind: str, state: str, form: Any
    ) -> Response | None:
        """The case page, when this session already recorded this very form (the same step
        and values on the same version: the form sent twice); else None (another step or other
        values, from another tab, say, are shown again with what was typed)."""
        recorded = ctx.session.steps_sent.get(f"{case_id}@{form.get('version', '')}")
        if recorded != _filled(form):
            return None
        self.flash(
            ctx,
            "warn",
            f"Bước “{labels.state(kind, state)}” đã được ghi từ lần gửi trước của bạn; lần gửi "
            "này không ghi thêm gì.",
        )
        return self.redirect(f"/ho-so/{case_id}")

    def changed(self, ctx: Context, case_id: str, state: str, form: Any, why: str) -> Response:
        """The record changed under the clerk: the new state, and their values kept where the
        step is still possible."""
        loaded = self.load(ctx, case_id)
        now = labels.state(loaded.case.kind, loaded.case.status)
        why = f"{why} Tình trạng mới: “{now}”."
        step = next((s for s in loaded.steps if s.state == state and s.possible), None)
        if step is None:
            ctx.flashes.append(("error", why))
            values = self.case_values(loaded)
            return self.render(ctx, "case.html", status=409, **values)
        return self.step_form(ctx, loaded, step, form, {}, status=409, why=why)

    def step_form(
        self,
        ctx: Context,
        loaded: Loaded,
        step: NextStep,
        form: Any,
        errors: dict[str, str],
        status: int = 200,
        why: str = "",
    ) -> Response:
        kind = loaded.case.kind
        workflow_step = WORKFLOWS[kind].steps[step.state]
        groups = F.step_groups(kind, step.needs, workflow_step.vote)
        bodies = [(code, labels.body(self.governance(), code)) for code in step.bodies]
        values = dict(form.items()) if form else {"on": labels.day(self.today())}
        checked = form.getlist("criteria") if form else []
        _fill(groups, values, checked, errors)
        return self.render(
            ctx, "step.html", status=status, groups=groups, step=step, guide=workflow_step.guide,
            bodies=bodies, values=values, errors=errors, why=why, **self.case_values(loaded),
        )  # fmt: skip

    def page_send(self, ctx: Context, case_id: str) -> Response:
        loaded = self.load(ctx, case_id)
        if loaded.worktree is None:
            raise Refusal(409, f"Hồ sơ {case_id} không có thay đổi nào chưa gửi.")
        author = self.author(ctx)
        who = ctx.person.name if ctx.person else "trên máy này"
        with self.workspace.case_lock(case_id):
            sent = self.workspace.send(case_id, author, self.today(), who)
        verdict = self.verdict(loaded.worktree)
        return self.render(ctx, "sent.html", sent=sent, verdict=verdict, case_id=case_id)

    def page_gate(self, ctx: Context, case_id: str) -> Response:
        loaded = self.load(ctx, case_id)
        if loaded.worktree is None or not self.workspace.ahead(loaded.worktree):
            raise Refusal(404, f"Hồ sơ {case_id} không có yêu cầu phê duyệt nào đang chờ.")
        verdict = self.verdict(loaded.worktree)
        return self.render(ctx, "gate.html", verdict=verdict, case_id=case_id)

    def verdict(self, worktree: Path) -> Verdict:
        from hoso.git import Repo

        return review(Requested(Repo(worktree), self.workspace.base(), "HEAD", today=self.today()))

    def page_kinds(self, ctx: Context) -> Response:
        return self.render(ctx, "kinds.html")

    def page_new(self, ctx: Context, kind: str) -> Response:
        if kind not in KINDS:
            raise Refusal(404, f"Không có loại hồ sơ {kind!r}.")
        self.author(ctx)
        if ctx.request.method == "GET":
            token = "".join(
                secrets.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(6)
            )
            tokens = ctx.session.case_tokens
            for stale in list(tokens)[: max(0, len(tokens) - MAX_TOKENS + 1)]:
                tokens.pop(stale, None)
            tokens[token] = ""
            return self.new_form(ctx, kind, {"on": labels.day(self.today()), "token": token}, {})
        form = ctx.request.form
        token = form.get("token", "")
        if not TOKEN.fullmatch(token) or token not in ctx.session.case_tokens:
            raise Refusal(400, "Biểu mẫu thiếu mã hoặc đã hết hạn; hãy mở lại trang.")
        opened = ctx.session.case_tokens[token]
        if opened:  # sent again: twice in a hurry, or from a copy of the tab for someone else
            self.flash(
                ctx,
                "warn",
                f"Biểu mẫu này đã được dùng để mở hồ sơ {opened}; chưa mở hồ sơ nào cho lần gửi "
                "này. Nếu cần mở hồ sơ cho người khác, hãy bấm “Mở hồ sơ mới”.",
            )
            return self.redirect(f"/ho-so/{opened}")
        errors: dict[str, str] = {}
        governance = self.governance()
        try:
            given = T.read_case(form, form.getlist)
            cell = given.pop("cell")
            fields, event = build_case(governance, kind, cell, given)
        except T.Invalid as exc:
            errors = {**_cell_refused(governance, form.get("cell")), **exc.errors}
        except click.ClickException as exc:
            errors = {T.click_field(exc) or "_": T.click_said(exc)}
        if errors:
            return self.new_form(ctx, kind, form, errors, status=422)
        allowed = self.allowed(ctx)
        if allowed is not None and not any(
            governance.is_within(fields["cell"], u) for u in allowed
        ):
            return self.new_form(
                ctx, kind, form, {"cell": "bạn không phụ trách chi bộ này"}, status=422
            )
        case_id = f"{ID_PREFIX[kind]}-{event['date'].year}-{token}"
        rel = expected_path(fields["unit"], kind, case_id)
        try:
            with self.workspace.case_lock(case_id):
                # The same form sent twice, the second while the first was writing (judged
                # under the lock, so it sees what the first wrote).
                if case_id in self.index.entries():
                    return self.redirect(f"/ho-so/{case_id}")
                tree = self.workspace.open(case_id, rel)
                try:
                    written = editing.create(tree, kind, fields, event, self.today(), token)
                    self.workspace.wrote(case_id, self.author(ctx))
                finally:
                    self.workspace.discard_if_empty(case_id)
        except editing.Refused as exc:
            found = T.placed(exc, 0, kind)
            why = "Chưa mở hồ sơ: hồ sơ mới sẽ không hợp lệ. Hãy sửa các chỗ nêu dưới đây."
            return self.new_form(ctx, kind, form, found, status=422, why=why)
        ctx.session.case_tokens[token] = case_id
        self.flash(ctx, "ok", f"Đã mở hồ sơ {case_id}.")
        for warning in written.warnings:
            self.flash(ctx, "warn", T.message(warning, kind))
        return self.redirect(f"/ho-so/{case_id}")

    def new_form(
        self,
        ctx: Context,
        kind: str,
        form: Any,
        errors: dict[str, str],
        status: int = 200,
        why: str = "",
    ) -> Response:
        opening = WORKFLOWS[kind].opening()[0]
        step = WORKFLOWS[kind].steps[opening]
        groups = F.step_groups(kind, [], step.vote)
        values = dict(form.items())
        checked = form.getlist("criteria") if hasattr(form, "getlist") else []
        _fill(groups, values, checked, errors)
        governance = self.governance()
        allowed = self.allowed(ctx)
        cells = sorted(
            (u.name, code)
            for code, u in governance.units.items()
            if (u.level == "cell" or (u.level == "grassroots" and u.grassroots_type == "cell"))
            and (allowed is None or any(governance.is_within(code, a) for a in allowed))
        )
        bodies = sorted(labels.body(governance, c) for c in governance.committees)
        return self.render(
            ctx, "new.html", status=status, kind=kind, opening=opening, guide=step.guide,
            groups=groups, values=values, errors=errors, why=why, cells=cells, bodies=bodies,
            vocab={n: list(labels.VOCABULARIES[n].labels.items()) for n in labels.VOCABULARIES},
        )  # fmt: skip

    def page_refresh(self, ctx: Context) -> Response:
        problem = self.workspace.fetch()
        if problem:
            self.flash(ctx, "error", problem)
        else:
            self.flash(ctx, "ok", "Đã cập nhật hồ sơ từ kho chung.")
        return self.redirect("/")

    def page_login(self, ctx: Context) -> Response:
        if self.users is None:
            return self.redirect("/")
        if ctx.request.method == "GET":
            return self.render(ctx, "login.html", login="", error="")
        login = ctx.request.form.get("login", "").strip()[:200]
        password = ctx.request.form.get("password", "")[:MAX_PASSWORD]
        error = ""
        if not self.sessions.attempt(login):
            error = "Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút."
        elif not self.users.verify(login, password):
            error = "Tên đăng nhập hoặc mật khẩu không đúng."
        else:
            self.sessions.succeeded(login)
            if person(self.governance(), login, self.today()) is None:
                error = (
                    "Tài khoản này không thuộc thành viên nào đang trong nhiệm kỳ ở "
                    "governance/committees.yaml."
                )
        if error:
            return self.render(ctx, "login.html", status=401, login=login, error=error)
        self.sessions.end(ctx.session)
        ctx.session = self.sessions.new(login)
        ctx.session.stamp = self.users.stamp(login)
        ctx.new_cookie = True
        return self.redirect("/")

    def page_logout(self, ctx: Context) -> Response:
        self.sessions.end(ctx.session)
        ctx.session = self.sessions.new()
        ctx.new_cookie = True
        return self.redirect("/dang-nhap" if self.users is not None else "/")


def _filled(form: Any) -> str:
    """What a step form holds (its step, version and values), for telling the same form sent
    twice."""
    items = sorted((k, v) for k, v in form.items(multi=True) if k != "csrf")
    return hashlib.sha256(repr(items).encode()).hexdigest()


def _cell_refused(governance: Governance, typed: object) -> dict[str, str]:
    """Why the cell typed names no cell, when other fields were refused first: every problem
    of a form is shown at once, not in rounds."""
    if not isinstance(typed, str) or not typed.strip():
        return {}
    try:
        cell_unit(governance, typed.strip())
    except click.ClickException as exc:
        return {"cell": T.click_said(exc)}
    return {}


def _fill(
    groups: list[F.Group], values: dict[str, Any], checked: list[str], errors: dict[str, str]
) -> None:
    """Put the typed values and the errors into the fields, and open every group that the step
    needs, that holds a value, or that holds an error."""
    for group in groups:
        group.error = errors.get(group.key, "")
        for f in group.fields:
            f.value = checked if f.widget == "checks" else values.get(f.name, "")
            f.error = errors.get(f.name, "")
        typed = any(f.value and f.name != "vote_method" for f in group.fields)
        group.open = (
            group.needed or typed or bool(group.error) or any(f.error for f in group.fields)
        )
