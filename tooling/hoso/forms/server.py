"""The WSGI plumbing of the forms: sessions, CSRF, the Host check, headers, templates.

Werkzeug parses requests and routes them; Jinja2 (already needed by mkdocs) renders the pages
with autoescaping; waitress serves them. Every response forbids framing and caching, allows
scripts, styles and images from this server only, and tells no other site where a link
was followed from (case ids are in the addresses).
"""

from __future__ import annotations

import hmac
import mimetypes
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map
from werkzeug.wrappers import Request, Response

from hoso.errors import HosoError
from hoso.forms.auth import PasswordFileError, Person, Session, Sessions

COOKIE = "hoso_phien"
MAX_BODY = 256 * 1024
"""Bytes a form may send: far more than any step needs, far less than hurts."""

HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class FormsRequest(Request):
    max_content_length = MAX_BODY
    max_form_memory_size = MAX_BODY
    max_form_parts = 300


@dataclass
class Context:
    """One request as the pages see it."""

    request: FormsRequest
    session: Session
    person: Person | None
    flashes: list[tuple[str, str]] = field(default_factory=list)
    new_cookie: bool = False


class Refusal(HTTPException):
    """An HTTP error whose page says, in Vietnamese, what went wrong."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code = self.status = code
        self.text = text


class Base:
    """Sessions, CSRF, headers and the Host check around the pages' handlers."""

    url_map: Map

    def __init__(self, allowed_hosts: set[str] | None, secure_cookie: bool = False) -> None:
        self.allowed_hosts = allowed_hosts
        self.secure_cookie = secure_cookie
        self.sessions = Sessions()
        self.jinja = Environment(
            loader=PackageLoader("hoso.forms", "templates"),
            autoescape=select_autoescape(default=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    # Hooks the pages fill in -------------------------------------------------------------------

    def person_of(self, session: Session) -> Person | None:
        raise NotImplementedError

    def may_enter(self, ctx: Context, endpoint: str) -> Response | None:
        """A response that stops the request (a redirect to the login), or None."""
        return None

    def globals(self, ctx: Context) -> dict[str, Any]:
        return {}

    # WSGI ------------------------------------------------------------------------------------

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = FormsRequest(environ)
        try:
            response = self.dispatch(request)
        except Refusal as exc:
            response = self.plain(exc.status, exc.text)
        except HTTPException as exc:
            response = self.plain(exc.code or 500, _HTTP_WORDS.get(exc.code or 500, "Lỗi"))
        except PasswordFileError as exc:  # the server's own fault: said to its log only
            print(f"hoso forms: {exc}", file=sys.stderr)
            response = self.plain(503, _PASSWORDS_UNREADABLE)
        except HosoError as exc:  # an expected error (git, a file): said, nothing else
            response = self.plain(409, str(exc))
        except Exception:  # a bug: the trace for the log, a plain page for the clerk
            traceback.print_exc(file=sys.stderr)
            response = self.plain(500, _HTTP_WORDS[500])
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response(environ, start_response)

    def dispatch(self, request: FormsRequest) -> Response:
        self.check_host(request)
        if request.path.startswith("/static/"):
            return self.static(request.path.removeprefix("/static/"))
        adapter = self.url_map.bind_to_environ(request.environ)
        endpoint, args = adapter.match()
        fresh = False
        session = self.sessions.get(request.cookies.get(COOKIE))
        if session is None:
            session, fresh = self.sessions.new(), True
        ctx = Context(request, session, self.person_of(session), new_cookie=fresh)
        if request.method == "POST":
            self.check_post(ctx)
        stop = self.may_enter(ctx, endpoint)
        response = stop or getattr(self, f"page_{endpoint}")(ctx, **args)
        if ctx.new_cookie:
            self.set_cookie(response, ctx.session)
        return response

    def check_host(self, request: FormsRequest) -> None:
        """On loopback, only this machine's names: a page on another site that resolves its
        own name to 127.0.0.1 (DNS rebinding) gets nothing."""
        if self.allowed_hosts is not None and request.host.lower() not in self.allowed_hosts:
            raise Refusal(400, "Địa chỉ máy chủ không hợp lệ cho biểu mẫu này.")

    def check_post(self, ctx: Context) -> None:
        """A POST comes from one of our forms: same origin, and the session's CSRF token."""
        origin = ctx.request.headers.get("Origin")
        # Behind a reverse proxy the browser's host may reach us as X-Forwarded-Host; a page on
        # another site cannot set that header on a form it posts, so it is as good as Host here.
        ours = {ctx.request.host.lower(), ctx.request.headers.get("X-Forwarded-Host", "").lower()}
        ours.discard("")
        # "null" (a sandboxed frame, some privacy settings) proves nothing either way: the CSRF
        # token below decides.
        if origin and origin != "null" and urlsplit(origin).netloc.lower() not in ours:
            raise Refusal(403, "Yêu cầu gửi từ trang khác bị từ chối.")
        sent = ctx.request.form.get("csrf", "")
        if ctx.new_cookie or not hmac.compare_digest(sent.encode(), ctx.session.csrf.encode()):
            raise Refusal(
                403,
                "Biểu mẫu đã hết hạn hoặc không phải từ trang này (mã chống giả mạo không khớp). "
                "Hãy mở lại trang và gửi lại.",
            )

    def set_cookie(self, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            session.token,
            httponly=True,
            samesite="Strict",
            secure=self.secure_cookie,
            path="/",
        )

    # Responses --------------------------------------------------------------------------------

    def render(self, ctx: Context, template: str, status: int = 200, **values: Any) -> Response:
        page = self.jinja.get_template(template)
        flashes, ctx.session.flashes = ctx.session.flashes, []
        html = page.render(
            csrf=ctx.session.csrf,
            person=ctx.person,
            flashes=[*flashes, *ctx.flashes],
            **self.globals(ctx),
            **values,
        )
        return Response(html, status=status, content_type="text/html; charset=utf-8")

    def flash(self, ctx: Context, kind: str, text: str) -> None:
        """A message shown on the next page this session sees."""
        ctx.session.flashes.append((kind, text))

    def redirect(self, location: str) -> Response:
        return Response("", status=303, headers={"Location": location})

    def plain(self, code: int, text: str) -> Response:
        page = self.jinja.get_template("error.html")
        html = page.render(code=code, text=text, csrf="", person=None, flashes=[], bare=True)
        return Response(html, status=code, content_type="text/html; charset=utf-8")

    def static(self, name: str) -> Response:
        if name not in ("forms.css", "forms.js"):
            raise NotFound()
        data = resources.files("hoso.forms").joinpath("static", name).read_bytes()
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        response = Response(data, content_type=f"{kind}; charset=utf-8")
        response.headers["Cache-Control"] = "max-age=3600"
        return response


_PASSWORDS_UNREADABLE = (
    "Máy chủ biểu mẫu tạm thời không kiểm tra được đăng nhập; hãy báo người quản trị máy chủ."
)
"""What a visitor is told when the password file cannot be read (the details go to the log)."""

_HTTP_WORDS = {
    400: "Yêu cầu không hợp lệ.",
    403: "Không được phép.",
    404: "Không tìm thấy trang này.",
    405: "Trang này không nhận kiểu yêu cầu đó.",
    413: "Dữ liệu gửi lên quá lớn.",
    500: "Lỗi không mong đợi trong máy chủ biểu mẫu.",
}


def loopback_hosts(port: int) -> set[str]:
    names = ("127.0.0.1", "localhost", "[::1]")
    return {f"{name}:{port}" for name in names} | ({*names} if port == 80 else set())
