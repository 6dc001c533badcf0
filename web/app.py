"""The results dashboard: routes (thin), sign-in, sessions and security headers.

Pages are views of a released wave's stored publication for a scope inside the signed-in
role (analysis/released.py, analysis/views.py); nothing here reads responses or releases
a wave. Sign-in needs no password: /dashboard in the chat sends a single-use link that
opens a page with a button, and only the button's POST uses the link up, so Telegram's
link-preview fetcher cannot. Every page view and download is written to the access log.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from analysis import document, register, report, views
from analysis.framework import areas
from analysis.framework import register as register_starter
from analysis.released import (
    Released,
    covering,
    covering_open_waves,
    covering_waves,
    wave_title,
)
from analysis.render_html import block_html
from analysis.summary import summarise
from bot.app import App
from bot.followups import action_draft, results_draft
from bot.i18n import SUPPORTED, t
from bot.progress import when_it_closes
from storage import actions, dashboard, followups, progress, roles
from storage.services import ServiceError
from storage.uow import UnitOfWork
from surveys.access import Grant, RoleKind, by_precedence, subtree
from surveys.actions import (
    MAX_PROGRESS,
    STATUS_WORDS,
    ActionError,
    Status,
    area_title,
    check_text,
    parse_due,
    parse_status,
)
from surveys.actions import check as check_action
from surveys.cadence import uk_today
from surveys.frameworks import FRSEF_AREAS
from surveys.pseudonym import derive_key
from surveys.sealing import contact_key
from surveys.text import Text, localise
from web.oidc import FLOW_SECONDS, OidcError, Provider, new_flow, open_flow, seal_flow
from web.pages import heatmap, units_in_order

PREFIX = "/dashboard"
OIDC_ON: web.AppKey[bool] = web.AppKey("oidc_on", bool)
FLOW_COOKIE = "fv_oidc"
COOKIE = "fv_session"
LANGUAGE_COOKIE = "fv_lang"
CSRF_PURPOSE = b"firevoice/dashboard-csrf/v1"
STATIC = Path(__file__).parent / "static"
EDITORS = frozenset({RoleKind.MANAGER, RoleKind.OFFICER, RoleKind.ADMIN})  # of the register
APPROVERS = frozenset({RoleKind.OFFICER, RoleKind.ADMIN})  # of follow-up messages
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The sign-in link's token must never leave in a Referer header.
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

_templates = Environment(
    loader=PackageLoader("web", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class Page(Exception):
    """Stop and show a message page with this status."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Visit:
    """One request by a signed-in role holder."""

    request: web.Request
    grant: Grant
    session: str
    language: str


def _language(request: web.Request) -> str:
    chosen = request.cookies.get(LANGUAGE_COOKIE, "")
    return chosen if chosen in SUPPORTED else "en"


def _csrf(app: App, session: str) -> str:
    key = derive_key(app.secret, CSRF_PURPOSE)
    return hmac.new(key, session.encode(), hashlib.sha256).hexdigest()


def _render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    language = context.setdefault("language", _language(request))
    context.setdefault("visit", None)

    def tr(key: str, **values: Any) -> str:
        return t(key, language, **values)

    html = _templates.get_template(name).render(
        t=tr, prefix=PREFIX, path=request.path_qs, **context
    )
    return web.Response(text=html, content_type="text/html", status=status)


def _survey_title(found: Released) -> Text:
    title = (found.wave.definition or {}).get("title")
    return title if isinstance(title, dict) else {"en": found.wave.survey_key}


def _see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _message(request: web.Request, status: int, message: str) -> web.Response:
    oidc = status == 401 and OIDC_ON in request.app and request.app[OIDC_ON]
    return _render(request, "message.html", status=status, message=message, oidc=oidc)


class Dashboard:
    """The dashboard's routes over the application."""

    def __init__(self, app: App):
        self.app = app
        self.secure = app.settings.environment == "production"
        settings = app.settings
        self.provider = (
            Provider(
                issuer=settings.oidc_issuer,
                client_id=settings.oidc_client_id or "",
                client_secret=settings.oidc_client_secret.get_secret_value()
                if settings.oidc_client_secret
                else "",
                redirect_uri=f"{settings.dashboard_url}{PREFIX}/oidc/callback",
                email_claim=settings.oidc_email_claim,
            )
            if settings.oidc_issuer
            else None
        )

    # --- plumbing -----------------------------------------------------------------------

    @web.middleware
    async def guard(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not request.path.startswith(PREFIX):
            return await handler(request)
        try:
            response = await handler(request)
        except Page as page:
            response = _message(request, page.status, page.message)
        except web.HTTPException as exc:
            if exc.status >= 400:
                response = _message(request, exc.status, exc.reason)
            else:
                raise
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    async def visit(self, request: web.Request) -> Visit:
        language = _language(request)
        value = request.cookies.get(COOKIE)
        grant = (
            await dashboard.session_grant(self.app.sessions, value, now=time.time())
            if value
            else None
        )
        if grant is None or value is None:
            raise Page(401, t("web_signed_out", language))
        return Visit(request, grant, value, language)

    async def chosen(self, visit: Visit) -> tuple[Released, str, list[Released]]:
        """The wave and scope a page is for (default: the latest wave, the role's unit)."""
        query = visit.request.query
        async with UnitOfWork(self.app.sessions) as uow:
            waves = await covering_waves(uow, visit.grant)
            if not waves:
                unit = await uow.units.by_code(visit.grant.unit)
                raise Page(
                    404,
                    t("results_none", visit.language, unit=unit.name if unit else visit.grant.unit),
                )
            wave_text = query.get("wave")
            if wave_text is None:
                found: Released | None = waves[0]
            elif not wave_text.isdigit() or len(wave_text) > 9:
                raise Page(
                    400, t("web_bad_request", visit.language, what=f"wave={wave_text[:20]!r}")
                )
            else:
                found = await covering(uow, visit.grant, int(wave_text))
        scope = query.get("unit") or visit.grant.unit
        if found is None or not found.in_scope(visit.grant, scope):
            raise Page(403, t("web_no_access", visit.language))
        return found, scope, waves

    async def record(self, visit: Visit, found: Released, scope: str, what: str) -> None:
        async with UnitOfWork(self.app.sessions) as uow:
            roles.record(
                uow,
                visit.grant,
                survey_key=found.wave.survey_key,
                wave_id=found.wave.id,
                scope=scope,
                fmt=what,
                day=uk_today(),
            )
            await uow.commit()

    def page(
        self,
        visit: Visit,
        name: str,
        found: Released,
        scope: str,
        waves: list[Released],
        **more: Any,
    ) -> web.Response:
        tree = views.Tree(found.publication)
        units = [
            (code, "\u2003" * depth + tree.units[code].name)
            for code, depth in units_in_order(tree, visit.grant.unit)
            if code in tree.units
        ]
        return _render(
            visit.request,
            name,
            language=visit.language,
            visit=visit,
            role=t(f"role_{visit.grant.role.value}", visit.language),
            role_unit=tree.units[visit.grant.unit].name,
            csrf=_csrf(self.app, visit.session),
            waves=[(w.wave.id, f"{w.title(visit.language)}: {w.wave.label}") for w in waves],
            wave=found.wave.id,
            title=found.title(visit.language),
            wave_label=found.wave.label,
            units=units,
            scope=scope,
            scope_name=tree.units[scope].name,
            admin=visit.grant.role == RoleKind.ADMIN,
            approver=visit.grant.role in APPROVERS,
            **more,
        )

    # --- sign-in --------------------------------------------------------------------------

    async def signin_page(self, request: web.Request) -> web.Response:
        token = request.query.get("t", "")
        good = await dashboard.ticket_is_good(self.app.sessions, token, now=time.time())
        if not good:
            return _message(request, 410, t("web_signin_bad", _language(request)))
        return _render(request, "signin.html", token=token)

    async def signin(self, request: web.Request) -> web.Response:
        form = await request.post()
        token = str(form.get("t", ""))
        opened = await dashboard.sign_in(
            self.app.sessions,
            token,
            now=time.time(),
            today=uk_today(),
            hours=self.app.settings.dashboard_session_hours,
        )
        if opened is None:
            return _message(request, 410, t("web_signin_bad", _language(request)))
        value, _ = opened
        response = _see_other(f"{PREFIX}/")
        self._session_cookie(response, value)
        return response

    def _session_cookie(self, response: web.Response, value: str) -> None:
        response.set_cookie(
            COOKIE,
            value,
            max_age=self.app.settings.dashboard_session_hours * 3600,
            path=PREFIX,
            httponly=True,
            secure=self.secure,
            samesite="Strict",
        )

    async def oidc_login(self, request: web.Request) -> web.Response:
        if self.provider is None:
            raise Page(404, t("web_bad_request", _language(request), what="oidc"))
        flow = new_flow(time.time())
        try:
            url = await self.provider.login_url(flow)
        except OidcError as exc:
            raise Page(502, t("web_oidc_failed", _language(request), why=str(exc))) from None
        response = _see_other(url)
        # Lax, not Strict: it must come back with the provider's redirect to the callback.
        response.set_cookie(
            FLOW_COOKIE,
            seal_flow(self.app.secret, flow),
            max_age=FLOW_SECONDS,
            path=f"{PREFIX}/oidc",
            httponly=True,
            secure=self.secure,
            samesite="Lax",
        )
        return response

    async def oidc_callback(self, request: web.Request) -> web.Response:
        language = _language(request)
        if self.provider is None:
            raise Page(404, t("web_bad_request", language, what="oidc"))
        query = request.query
        try:
            flow = open_flow(self.app.secret, request.cookies.get(FLOW_COOKIE, ""), time.time())
            if not hmac.compare_digest(query.get("state", ""), flow.state):
                raise OidcError("the answer does not belong to this sign-in (state)")
            if "error" in query:
                raise OidcError(f"the identity provider said {query['error'][:60]!r}")
            email = await self.provider.email(query.get("code", ""), flow)
        except OidcError as exc:
            raise Page(400, t("web_oidc_failed", language, why=str(exc))) from None
        grants = by_precedence(await roles.grants_for_email(self.app.sessions, email))
        if not grants:
            raise Page(403, t("web_oidc_no_role", language, email=email))
        value = await dashboard.open_session(
            self.app.sessions,
            grants[0].id,
            now=time.time(),
            today=uk_today(),
            hours=self.app.settings.dashboard_session_hours,
        )
        response = _see_other(f"{PREFIX}/")
        self._session_cookie(response, value)
        response.del_cookie(FLOW_COOKIE, path=f"{PREFIX}/oidc")
        return response

    async def signout(self, request: web.Request) -> web.StreamResponse:
        visit = await self.visit(request)
        form = await request.post()
        if not hmac.compare_digest(str(form.get("csrf", "")), _csrf(self.app, visit.session)):
            raise Page(403, t("web_bad_request", visit.language, what="csrf"))
        await dashboard.sign_out(self.app.sessions, visit.session, now=time.time())
        response = _message(request, 200, t("web_signed_out", visit.language))
        response.del_cookie(COOKIE, path=PREFIX)
        return response

    async def language(self, request: web.Request) -> web.Response:
        code = request.match_info["code"]
        back = request.query.get("next", f"{PREFIX}/")
        if not back.startswith(f"{PREFIX}/") or "//" in back or "\\" in back:
            back = f"{PREFIX}/"
        response = _see_other(back)
        if code in SUPPORTED:
            response.set_cookie(
                LANGUAGE_COOKIE, code, path=PREFIX, samesite="Strict", secure=self.secure
            )
        return response

    # --- pages --------------------------------------------------------------------------

    async def overview(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        found, scope, waves = await self.chosen(visit)
        tables = views.tables(
            found.publication, scope=scope, today=uk_today(), language=visit.language
        )
        summary = summarise(tables)
        await self.record(visit, found, scope, "overview")
        language = visit.language
        return self.page(
            visit,
            "overview.html",
            found,
            scope,
            waves,
            summary=summary,
            items=[(localise(i.text, language), i) for i in summary.items],
            gaps=[(localise(g.question, language).rstrip("."), g) for g in summary.gaps],
        )

    async def heatmap(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        found, scope, waves = await self.chosen(visit)
        tables = views.tables(
            found.publication, scope=scope, today=uk_today(), language=visit.language
        )
        tree = views.Tree(found.publication)
        await self.record(visit, found, scope, "heatmap")
        return self.page(
            visit,
            "heatmap.html",
            found,
            scope,
            waves,
            heat=heatmap(tables, tree, scope, visit.language),
        )

    async def full(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        found, scope, waves = await self.chosen(visit)
        tables = views.tables(
            found.publication, scope=scope, today=uk_today(), language=visit.language
        )
        doc = await report.off_loop(document.build, tables)
        await self.record(visit, found, scope, "full")
        body = Markup("\n".join(block_html(b) for b in doc))  # noqa: S704 - escaped by block_html
        return self.page(visit, "full.html", found, scope, waves, body=body)

    async def downloads(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        found, scope, waves = await self.chosen(visit)
        return self.page(visit, "downloads.html", found, scope, waves, formats=report.FORMATS)

    async def download(self, request: web.Request) -> web.StreamResponse:
        visit = await self.visit(request)
        fmt = request.match_info["fmt"]
        if fmt not in report.FORMATS:
            raise Page(404, t("web_bad_request", visit.language, what=f"format {fmt[:10]!r}"))
        found, scope, _ = await self.chosen(visit)
        tables = views.tables(
            found.publication, scope=scope, today=uk_today(), language=visit.language
        )
        await self.record(visit, found, scope, fmt)
        data = await report.off_loop(report.render, tables, fmt)
        return web.Response(
            body=data,
            content_type=report.MEDIA[fmt],
            headers={
                "Content-Disposition": f'attachment; filename="{report.file_name(tables, fmt)}"'
            },
        )

    async def audit(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        if visit.grant.role != RoleKind.ADMIN:
            raise Page(403, t("web_no_access", visit.language))
        records = await roles.access_log(self.app.sessions)
        return _render(
            request,
            "audit.html",
            language=visit.language,
            visit=visit,
            csrf=_csrf(self.app, visit.session),
            admin=True,
            records=list(reversed(records))[:1000],
            columns=t("web_audit_columns", visit.language).split("|"),
        )

    # --- the improvement register -------------------------------------------------------

    def _editors(self, grant: Grant) -> bool:
        return grant.role in EDITORS

    async def _register(
        self, found: Released, grant: Grant, scope: str, language: str
    ) -> tuple[list[Any], list[list[str]]]:
        units = subtree(found.parents(), scope)
        listed = await actions.listed(self.app.sessions, units=units)
        names, texts = await actions.labels(self.app.sessions, listed, language)
        return listed, register.rows(listed, names, texts, language)

    async def actions_page(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        found, scope, waves = await self.chosen(visit)
        listed, table = await self._register(found, visit.grant, scope, visit.language)
        tables = views.tables(
            found.publication, scope=scope, today=uk_today(), language=visit.language
        )
        starter = register_starter(areas(tables, "frsef"))
        return self.page(
            visit,
            "actions.html",
            found,
            scope,
            waves,
            register=[(item.action.id, row) for item, row in zip(listed, table, strict=True)],
            columns=t("web_action_columns", visit.language).split("|"),
            can_edit=self._editors(visit.grant),
            statuses=[(s.value, STATUS_WORDS[s][visit.language]) for s in Status],
            areas=[(n, area_title(n)) for n in FRSEF_AREAS],
            suggestions=[
                (str(r.area), str(r.area_for_consideration), str(r.evidence))
                for r in starter.itertuples(index=False)
            ],
        )

    async def _editing(self, request: web.Request) -> tuple[Visit, Released, str, Any]:
        visit = await self.visit(request)
        form = await request.post()
        if not hmac.compare_digest(str(form.get("csrf", "")), _csrf(self.app, visit.session)):
            raise Page(403, t("web_bad_request", visit.language, what="csrf"))
        if not self._editors(visit.grant):
            raise Page(403, t("web_no_access", visit.language))
        found, scope, _ = await self.chosen(visit)
        return visit, found, scope, form

    async def action_add(self, request: web.Request) -> web.Response:
        visit, found, scope, form = await self._editing(request)
        try:
            fields = check_action(
                area=str(form.get("area", "")),
                consideration=str(form.get("consideration", "")),
                unit=scope,
                lead=str(form.get("lead", "")),
                due=str(form.get("due", "")) or None,
            )
            await actions.add(
                self.app.sessions, found.wave.id, fields, by=visit.grant.label, today=uk_today()
            )
        except (ActionError, ServiceError) as exc:
            raise Page(400, t("web_action_problem", visit.language, what=str(exc))) from None
        return _see_other(f"{PREFIX}/actions?wave={found.wave.id}&unit={quote(scope)}")

    async def action_update(self, request: web.Request) -> web.Response:
        visit, found, scope, form = await self._editing(request)
        action_id = request.match_info["id"]
        if not action_id.isdigit() or len(action_id) > 9:
            raise Page(404, t("web_bad_request", visit.language, what=f"action {action_id[:12]!r}"))
        try:
            await actions.update(
                self.app.sessions,
                int(action_id),
                by=visit.grant.label,
                today=uk_today(),
                units=subtree(found.parents(), scope),
                status=parse_status(str(form.get("status", "open"))),
                progress=check_text(
                    "progress", str(form.get("progress", "")), MAX_PROGRESS, required=False
                ),
                due=parse_due(str(form.get("due", "")) or None),
            )
        except (ActionError, ServiceError) as exc:
            raise Page(400, t("web_action_problem", visit.language, what=str(exc))) from None
        return _see_other(f"{PREFIX}/actions?wave={found.wave.id}&unit={quote(scope)}")

    # --- progress during an open wave (as /progress in the chat) -------------------------

    async def progress_page(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        grant, language, today = visit.grant, visit.language, uk_today()
        context: dict[str, Any] = {
            "language": language,
            "visit": visit,
            "csrf": _csrf(self.app, visit.session),
            "admin": grant.role == RoleKind.ADMIN,
            "approver": grant.role in APPROVERS,
        }
        async with UnitOfWork(self.app.sessions) as uow:
            waves = await covering_open_waves(uow, grant, today=today)
            if not waves:
                unit = await uow.units.by_code(grant.unit)
                none = t("progress_none", language, unit=unit.name if unit else grant.unit)
                return _render(request, "progress.html", rows=[], nothing_open=none, **context)
            chosen = request.query.get("open")
            if chosen is not None and (not chosen.isdigit() or len(chosen) > 9):
                raise Page(400, t("web_bad_request", language, what=f"open={chosen[:20]!r}"))
            wave = (
                waves[0]
                if chosen is None
                else next((w for w in waves if w.id == int(chosen)), None)
            )
            if wave is None:
                raise Page(404, t("progress_closed", language))
            scope = request.query.get("unit") or grant.unit
            shown = await progress.view(uow, wave, scope, today, role_unit=grant.unit)
            if shown is None:
                raise Page(403, t("web_no_access", language))
            roles.record(
                uow, grant, survey_key=wave.survey_key, wave_id=wave.id, scope=scope,
                fmt="progress", day=today,
            )  # fmt: skip
            await uow.commit()
        tree, rows = shown
        parent = tree.units[scope].parent
        title = wave_title(wave, language)
        return _render(
            request,
            "progress.html",
            open_waves=[
                (
                    w.id,
                    f"{wave_title(w, language)}: {w.label}",
                )
                for w in waves
            ],
            open_wave=wave.id,
            heading=t("progress_heading", language, survey=title, wave=wave.label)
            + f": {tree.units[scope].name}",
            when=when_it_closes(wave, today, language),
            rows=rows,
            counted=tree.counted(scope),
            k=wave.k_unit,
            batch=self.app.batching.size_for(wave),
            columns=t("web_progress_columns", language).split("|"),
            up=(parent, tree.units[parent].name)
            if scope != grant.unit and parent is not None
            else None,
            **context,
        )

    # --- "you said, we did" follow-ups ---------------------------------------------------

    async def _for_followups(
        self, found: Released, scope: str
    ) -> tuple[list[Any], list[Any], dict[int, Any]]:
        """The actions against the wave in scope, those done, and what was approved."""
        listed = await actions.listed(
            self.app.sessions, wave_id=found.wave.id, units=subtree(found.parents(), scope)
        )
        every = [item.action for item in listed]
        done = [a for a in every if a.status == Status.DONE]
        return every, done, await followups.approved(self.app.sessions, found.wave.id)

    async def followups_page(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        if visit.grant.role not in APPROVERS:
            raise Page(403, t("web_no_access", visit.language))
        found, scope, waves = await self.chosen(visit)
        every, done, approved = await self._for_followups(found, scope)
        welcome, ask, declined = await followups.reach(
            self.app.sessions, contact_key(self.app.secret), found.wave.id, scope
        )
        title = _survey_title(found)
        preview = await report.off_loop(
            functools.partial(results_draft, only=[scope]), found.publication, every, scope, title
        )
        return self.page(
            visit,
            "followups.html",
            found,
            scope,
            waves,
            results_text=preview.texts.get(scope, {}).get(visit.language),
            reach=t("web_followup_reach", visit.language, n=welcome, ask=ask, declined=declined),
            results_approved=approved.get(0),
            done=[
                (
                    a,
                    action_draft(a, found.wave.label, title).texts[a.unit_code][visit.language],
                    approved.get(a.id),
                )
                for a in done
            ],
        )

    async def followup_approve(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        form = await request.post()
        if not hmac.compare_digest(str(form.get("csrf", "")), _csrf(self.app, visit.session)):
            raise Page(403, t("web_bad_request", visit.language, what="csrf"))
        if visit.grant.role not in APPROVERS:
            raise Page(403, t("web_no_access", visit.language))
        found, scope, _ = await self.chosen(visit)
        every, done, _ = await self._for_followups(found, scope)
        title = _survey_title(found)
        action_text = str(form.get("action", ""))
        if not action_text.isdigit() or len(action_text) > 9:
            raise Page(
                400, t("web_bad_request", visit.language, what=f"action {action_text[:12]!r}")
            )
        action_id = int(action_text)
        if action_id == 0:
            draft = await report.off_loop(results_draft, found.publication, every, scope, title)
        else:
            chosen = next((a for a in done if a.id == action_id), None)
            if chosen is None:  # not this wave's, not in scope, or not done
                raise Page(403, t("web_no_access", visit.language))
            draft = action_draft(chosen, found.wave.label, title)
        try:
            await followups.approve(
                self.app.sessions,
                contact_key(self.app.secret),
                wave_id=found.wave.id,
                action_id=draft.action_id,
                unit=draft.unit,
                texts=draft.texts,
                by=visit.grant.label,
                today=uk_today(),
            )
        except ServiceError as exc:
            raise Page(400, t("web_action_problem", visit.language, what=str(exc))) from None
        return _see_other(f"{PREFIX}/followups?wave={found.wave.id}&unit={quote(scope)}")

    async def register_file(self, request: web.Request) -> web.Response:
        visit = await self.visit(request)
        found, scope, _ = await self.chosen(visit)
        fmt = request.match_info["fmt"]
        _, table = await self._register(found, visit.grant, scope, visit.language)
        if fmt == "csv":
            body, media = register.to_csv(table).encode(), report.MEDIA["csv"]
        else:
            body, media = register.to_xlsx(table), report.MEDIA["xlsx"]
        name = f"improvement-register-{scope}.{fmt}"
        return web.Response(
            body=body,
            content_type=media,
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def style(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC / "style.css")

    # --- wiring -------------------------------------------------------------------------

    def add_to(self, web_app: web.Application) -> None:
        web_app[OIDC_ON] = self.provider is not None
        web_app.middlewares.append(self.guard)
        web_app.router.add_get(f"{PREFIX}/oidc/login", self.oidc_login)
        web_app.router.add_get(f"{PREFIX}/oidc/callback", self.oidc_callback)
        web_app.router.add_get(f"{PREFIX}/signin", self.signin_page)
        web_app.router.add_post(f"{PREFIX}/signin", self.signin)
        web_app.router.add_post(f"{PREFIX}/signout", self.signout)
        web_app.router.add_get(f"{PREFIX}/language/{{code}}", self.language)
        web_app.router.add_get(f"{PREFIX}/", self.overview)
        web_app.router.add_get(f"{PREFIX}/heatmap", self.heatmap)
        web_app.router.add_get(f"{PREFIX}/full", self.full)
        web_app.router.add_get(f"{PREFIX}/downloads", self.downloads)
        web_app.router.add_get(f"{PREFIX}/download/{{fmt}}", self.download)
        web_app.router.add_get(f"{PREFIX}/audit", self.audit)
        web_app.router.add_get(f"{PREFIX}/actions", self.actions_page)
        web_app.router.add_post(f"{PREFIX}/actions", self.action_add)
        web_app.router.add_post(f"{PREFIX}/actions/{{id}}", self.action_update)
        web_app.router.add_get(f"{PREFIX}/actions.{{fmt:csv|xlsx}}", self.register_file)
        web_app.router.add_get(f"{PREFIX}/progress", self.progress_page)
        web_app.router.add_get(f"{PREFIX}/followups", self.followups_page)
        web_app.router.add_post(f"{PREFIX}/followups", self.followup_approve)
        web_app.router.add_get(f"{PREFIX}/static/style.css", self.style)


def make_web_app(app: App) -> web.Application:
    """The dashboard alone (long polling serves it on its own port)."""
    web_app = web.Application()
    Dashboard(app).add_to(web_app)
    return web_app
