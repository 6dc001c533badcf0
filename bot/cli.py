"""The `firevoice` command line."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.app import App, build_app, load_catalog
from bot.settings import Settings, SettingsError, load_settings, resolve_secret_key
from storage import migrate, outbox, schedules, services
from storage.uow import UnitOfWork
from surveys.cadence import uk_today
from surveys.equality import MONITORING_SURVEY_KEY
from surveys.importing import ResponseImportError
from surveys.links import LinkError, LinkTarget, make_payload
from surveys.loader import SurveyFileError, load_survey_file
from surveys.model import SurveyKind
from surveys.organisation import OrgImportError
from surveys.sealing import contact_key

T = TypeVar("T")

app = typer.Typer(
    help="firevoice: anonymous surveys for fire and rescue services.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
survey_app = typer.Typer(help="Survey definitions.", no_args_is_help=True)
org_app = typer.Typer(help="The organisation structure.", no_args_is_help=True)
wave_app = typer.Typer(help="Survey waves.", no_args_is_help=True)
responses_app = typer.Typer(help="Responses collected elsewhere.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
schedule_app = typer.Typer(
    help="Surveys that open by themselves every month, quarter or year.", no_args_is_help=True
)
app.add_typer(survey_app, name="survey")
app.add_typer(org_app, name="org")
app.add_typer(wave_app, name="wave")
app.add_typer(responses_app, name="responses")
app.add_typer(db_app, name="db")
app.add_typer(schedule_app, name="schedule")
actions_app = typer.Typer(
    help="The improvement register: what is being done about what people said.",
    no_args_is_help=True,
)
app.add_typer(actions_app, name="actions")
role_app = typer.Typer(
    help="Who may see results: managers, officers, network leads, admins.", no_args_is_help=True
)
app.add_typer(role_app, name="role")


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        fail(str(exc))


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(the configured database)"


def _upgrade(settings: Settings) -> None:
    try:
        migrate.upgrade(settings.database_url)
    except (OperationalError, DBAPIError, OSError) as exc:
        fail(f"cannot use the database {_safe_url(settings.database_url)}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _with_app(work: Callable[[App], Awaitable[T]], settings: Settings | None = None) -> T:
    """Migrate, build the app, run one async job, and turn known errors into messages."""
    settings = settings or _settings()
    _upgrade(settings)
    try:
        application = build_app(settings)
    except (SettingsError, SurveyFileError) as exc:
        fail(str(exc))

    async def main() -> T:
        try:
            await _backfill(application)
            return await work(application)
        finally:
            await application.close()

    try:
        return asyncio.run(main())
    except (services.ServiceError, LinkError) as exc:
        fail(str(exc))
    except OrgImportError as exc:
        fail(f"nothing was imported; fix these problems and try again:\n{exc}")
    except ResponseImportError as exc:
        fail(f"nothing was imported; fix these problems and try again:\n{exc}")
    except (OperationalError, DBAPIError, OSError) as exc:
        fail(f"database error on {_safe_url(settings.database_url)}: {_first_line(exc)}")


async def _backfill(application: App) -> None:
    """Store a publication for waves whose results were released before publications were
    stored (once, on the first command after the upgrade)."""
    if not await services.waves_to_backfill(application.sessions):
        return
    from analysis.release import backfill

    done = await backfill(
        application.sessions,
        application.engine,
        monitoring=application.monitoring,
        today=date.today(),
    )
    if done:
        typer.echo(
            "stored the publication of wave(s) "
            + ", ".join(str(w) for w in done)
            + ", released before this version: they hide at least what their earlier "
            "reports hid, and every report of them now reads the stored figures",
            err=True,
        )


def _survey(application: App, key: str) -> Any:
    """A survey of the catalog; an unknown key is refused with the keys there are."""
    try:
        return application.catalog.get(key)
    except KeyError as exc:
        raise services.ServiceError(str(exc.args[0])) from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        fail(f"{path}: no such file")
    except UnicodeDecodeError:
        fail(f"{path}: not UTF-8 text (save the spreadsheet as 'CSV UTF-8')")
    except OSError as exc:
        fail(f"{path}: cannot read: {exc.strerror}")


def _parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date in the form YYYY-MM-DD", code=2)


# --- run and db ---------------------------------------------------------------------------


@app.command()
def run(
    webhook: Annotated[
        bool, typer.Option("--webhook", help="Serve a webhook instead of long polling.")
    ] = False,
    public_url: Annotated[
        str | None,
        typer.Option(help="Webhook: the public https:// address Telegram should call."),
    ] = None,
    port: Annotated[int, typer.Option(help="Webhook: port to listen on.")] = 8080,
    host: Annotated[str, typer.Option(help="Webhook: address to listen on.")] = "0.0.0.0",  # noqa: S104
    path: Annotated[str, typer.Option(help="Webhook: URL path.")] = "/telegram",
    workers: Annotated[
        int,
        typer.Option(
            help="Webhook: how many bot processes share the port (needs PostgreSQL and Redis)."
        ),
    ] = 1,
    worker: Annotated[int | None, typer.Option(hidden=True)] = None,
    demo: Annotated[
        bool | None,
        typer.Option(
            "--demo/--no-demo",
            help="Without a bot token, on an empty database: load the synthetic demo "
            "service (default: ask).",
        ),
    ] = None,
) -> None:
    """Start the bot: long polling by default, or a webhook server with --webhook.
    Without a bot token (outside production), start the results dashboard alone."""
    from bot.runner import WebhookOptions, run_bot

    options = None
    if webhook:
        if not public_url or not public_url.startswith(("https://", "http://")):
            fail("--webhook needs --public-url https://your.host (the address Telegram calls)", 2)
        if not path.startswith("/"):
            fail(f"--path: {path!r} must start with '/'", 2)
        if not 1 <= port <= 65535:
            fail(f"--port: {port} is not a port number", 2)
        if not 1 <= workers <= 64:
            fail(f"--workers: {workers} is not between 1 and 64", 2)
        options = WebhookOptions(
            public_url=public_url,
            host=host,
            port=port,
            path=path,
            worker=worker or 0,
            workers=workers,
        )
    elif public_url:
        fail("--public-url is only used with --webhook", 2)
    elif workers != 1:
        fail(
            "--workers needs --webhook: long polling runs in one process (Telegram gives "
            "updates to one reader at a time)",
            2,
        )

    settings = _settings()
    if settings.bot_token is None and settings.environment != "production" and not webhook:
        _first_run(settings, demo)
        return
    if settings.bot_token is None:
        fail(
            "no bot token configured. Set FIREVOICE_BOT_TOKEN (in the environment or in a "
            ".env file) to the token that @BotFather gives you in Telegram: open "
            "https://t.me/BotFather, send /newbot and follow the steps."
        )
    try:
        resolve_secret_key(settings)
    except SettingsError as exc:
        fail(str(exc))
    if workers > 1:
        if settings.is_sqlite:
            fail(
                "--workers needs PostgreSQL (FIREVOICE_DATABASE_URL=postgresql+asyncpg://...): "
                "SQLite takes one writer at a time, so more processes would only wait",
                2,
            )
        if not settings.redis_url:
            fail(
                "--workers needs FIREVOICE_REDIS_URL: Redis keeps each person's updates in "
                "order whichever process receives them",
                2,
            )
    if worker is None:  # the workers' parent (or the only process) prepares the database
        _upgrade(settings)
    try:
        application = build_app(settings)
    except (SettingsError, SurveyFileError) as exc:
        fail(str(exc))

    async def serve() -> None:
        if worker is None:
            await _backfill(application)
        if workers > 1 and worker is None:
            await application.close()
            return
        await run_bot(application, options)

    asyncio.run(serve())
    if workers > 1 and worker is None:
        from bot.workers import supervise

        run_args = ["--webhook", "--public-url", str(public_url), "--host", host]
        run_args += ["--port", str(port), "--path", path, "--workers", str(workers)]
        raise typer.Exit(supervise(run_args, workers))


def _first_run(settings: Settings, demo: bool | None) -> None:
    """No bot token yet: show the product through the dashboard (bot/first_run.py)."""
    from bot import first_run
    from bot.polling import stop_on_signals
    from bot.runner import serve_dashboard

    if settings.dashboard_url is None:
        settings = settings.model_copy(
            update={"dashboard_url": f"http://127.0.0.1:{settings.dashboard_port}"}
        )
    try:
        resolve_secret_key(settings)
    except SettingsError as exc:
        fail(str(exc))
    _upgrade(settings)
    try:
        application = build_app(settings)
    except (SettingsError, SurveyFileError) as exc:
        fail(str(exc))
    typer.echo("No bot token is set, so firevoice starts the results dashboard alone.")

    async def serve() -> None:
        try:
            await _backfill(application)
            if await first_run.is_empty(application):
                load = demo
                if load is None and sys.stdin.isatty():
                    load = typer.confirm(
                        "The database is empty. Load the synthetic demo service (made-up "
                        "data) so there is something to look at?",
                        default=True,
                    )
                if load:
                    await first_run.load_demo(application, typer.echo, today=date.today())
                else:
                    typer.echo(
                        "Nothing loaded. Import your organisation with 'firevoice org import "
                        "units.csv' (or run again with --demo)."
                    )
            link = await first_run.sign_in_link(
                application, str(settings.dashboard_url), today=date.today()
            )
            try:
                runner = await serve_dashboard(application)
            except OSError as exc:
                raise services.ServiceError(
                    f"the dashboard cannot listen on {settings.dashboard_host}:"
                    f"{settings.dashboard_port} ({exc.strerror or exc}); choose another port "
                    "with FIREVOICE_DASHBOARD_PORT"
                ) from None
            stop = stop_on_signals()  # before saying how to stop
            typer.echo(f"Dashboard: {settings.dashboard_url}/dashboard/")
            if link:
                typer.echo(f"Sign in as the administrator (this link works once): {link}")
            else:
                typer.echo("There is no organisation yet, so there is nobody to sign in as.")
            typer.echo(first_run.HOW_TO_ADD_THE_BOT)
            typer.echo("Press Ctrl+C to stop.")
            try:
                await stop.wait()
            finally:
                await runner.cleanup()
        finally:
            await application.close()

    try:
        asyncio.run(serve())
    except services.ServiceError as exc:
        fail(str(exc))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or update the database schema (the bot also does this when it starts)."""
    settings = _settings()

    async def work(application: App) -> None:
        return None  # _with_app upgrades and stores missing publications

    _with_app(work, settings)
    typer.echo(
        f"database {_safe_url(settings.database_url)} is at revision {migrate.current_head()}"
    )


@app.command()
def purge() -> None:
    """Delete expired conversations, contact details and profiles (the bot does this daily)."""
    settings = _settings()

    async def work(application: App) -> services.PurgeResult:
        return await services.purge_expired(
            application.sessions,
            today=date.today(),
            conversation_days=settings.retention_conversation_days,
            person_days=settings.retention_person_days,
        )

    result = _with_app(work)
    typer.echo(
        f"deleted {result.conversations} unfinished conversation(s), {result.people} "
        f"person record(s) and {result.participations} participation record(s) of closed waves"
    )


# --- surveys ------------------------------------------------------------------------------


@survey_app.command("validate")
def survey_validate(
    paths: Annotated[list[Path], typer.Argument(help="Survey YAML files to check.")],
) -> None:
    """Check survey files and report every problem."""
    problems = 0
    for path in paths:
        try:
            survey = load_survey_file(path)
        except SurveyFileError as exc:
            for problem in exc.problems:
                typer.echo(str(problem), err=True)
            problems += len(exc.problems)
        else:
            typer.echo(f"{path}: ok ({survey.key}, {len(survey.questions)} questions)")
    if problems:
        fail(f"{problems} problem(s) found", code=1)


@survey_app.command("list")
def survey_list() -> None:
    """List bundled and configured surveys."""
    try:
        catalog = load_catalog(_settings())
    except SurveyFileError as exc:
        fail(str(exc))
    for entry in catalog.entries():
        source = "bundled" if entry.bundled else str(entry.path)
        survey = entry.survey
        typer.echo(
            f"{survey.key:<24} {survey.kind.value:<12} {len(survey.questions):>3} questions  "
            f"{survey.title['en']}  [{source}]"
        )


@survey_app.command("show")
def survey_show(key: str) -> None:
    """Print a survey's normalised definition as JSON."""
    try:
        catalog = load_catalog(_settings())
        survey = catalog.get(key)
    except SurveyFileError as exc:
        fail(str(exc))
    except KeyError as exc:
        fail(str(exc.args[0]))
    typer.echo(json.dumps(survey.normalised(), indent=2, ensure_ascii=False))


# --- organisation -------------------------------------------------------------------------


@org_app.command("import")
def org_import(file: Path) -> None:
    """Create or update units from a CSV file (code,name,kind,parent_code,headcount)."""
    text = _read_text(file)

    async def work(application: App) -> services.OrgImportResult:
        return await services.import_org(application.sessions, text)

    result = _with_app(work)
    typer.echo(f"{file}: {result.created} unit(s) created, {result.updated} updated")
    if result.open_waves:
        typer.echo(
            f"note: {result.open_waves} open wave(s) keep the organisation they opened with "
            "(units, parents, headcounts); these changes apply to waves opened from now on"
        )


@org_app.command("list")
def org_list() -> None:
    """Show the organisation tree with headcounts."""

    async def work(application: App) -> list[str]:
        async with UnitOfWork(application.sessions) as uow:
            units = list(await uow.units.all())
        children: dict[Any, list[Any]] = {}
        for unit in units:
            children.setdefault(unit.parent_id, []).append(unit)
        lines: list[str] = []

        def walk(parent: Any, depth: int) -> None:
            for unit in children.get(parent, []):
                headcount = "?" if unit.headcount is None else str(unit.headcount)
                lines.append(
                    f"{'  ' * depth}{unit.code}  {unit.name} ({unit.kind}, headcount {headcount})"
                )
                walk(unit.id, depth + 1)

        walk(None, 0)
        return lines

    lines = _with_app(work)
    if not lines:
        typer.echo("no units yet: load them with 'firevoice org import FILE.csv'")
    for line in lines:
        typer.echo(line)


# --- waves --------------------------------------------------------------------------------


@wave_app.command("open")
def wave_open(
    survey: Annotated[str, typer.Option("--survey", help="Survey key.")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Audience unit code (repeatable).")
    ] = None,
    closes: Annotated[
        str | None,
        typer.Option(help="Last day for answers, YYYY-MM-DD; the wave closes after it."),
    ] = None,
    label: Annotated[str | None, typer.Option(help="A name for the wave.")] = None,
) -> None:
    """Open a wave of a survey; its thresholds are fixed from now on."""
    closes_on = _parse_date(closes, "--closes")

    async def work(application: App) -> tuple[Any, outbox.Invitations]:
        definition = _survey(application, survey)
        wave = await services.open_wave(
            application.sessions,
            definition,
            today=date.today(),
            label=label,
            unit_codes=unit or (),
            closes_on=closes_on,
            monitoring=application.monitoring,
        )
        invited = await outbox.queue_invitations(
            application.sessions, contact_key(application.secret), wave.id, today=date.today()
        )
        return wave, invited

    wave, invited = _with_app(work)
    typer.echo(
        f"opened wave {wave.id} of {wave.survey_key} ({wave.label}); minimum group sizes: "
        f"{wave.k_unit} for units, {wave.k_characteristic} for characteristics, "
        f"{wave.k_comments} for comments"
    )
    typer.echo(
        f"{invited.queued} invitation(s) queued for people who agreed to be messaged; the "
        "running bot sends them ('firevoice wave invite "
        f"{wave.id} --dry-run' shows them by unit)"
    )


@wave_app.command("invite")
def wave_invite(
    wave_id: Annotated[int, typer.Argument(help="The wave's number.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only count who would be invited, by unit.")
    ] = False,
    wait: Annotated[
        bool,
        typer.Option("--wait/--no-wait", help="Show the running bot's progress in sending."),
    ] = True,
) -> None:
    """Invite everyone who agreed to be messaged and whose unit is in the wave's audience.

    Each person is invited once per wave, however often this runs; people who answered
    already are left out. The running bot sends the invitations.
    """

    async def work(application: App) -> tuple[outbox.Invitations, int, float]:
        invited = await outbox.queue_invitations(
            application.sessions,
            contact_key(application.secret),
            wave_id,
            today=date.today(),
            dry_run=dry_run,
        )
        waiting = await outbox.waiting(application.sessions)
        return invited, waiting, application.settings.outbox_per_second

    invited, waiting, per_second = _with_app(work)
    total = sum(invited.by_unit.values())
    for code, count in sorted(invited.by_unit.items()):
        typer.echo(f"  {code:<20} {count:>6}")
    typer.echo(
        f"{total} person(s) to invite in wave {wave_id}'s audience; {invited.answered} who "
        f"answered already and {invited.no_home_unit} with no home unit are left out"
    )
    if dry_run:
        minutes = max(1, round((waiting + total) / per_second / 60))
        typer.echo(f"dry run: nothing queued; sending would take about {minutes} minute(s)")
        return
    typer.echo(f"{invited.queued} queued now, {invited.already} queued or sent before")
    if wait and waiting:
        _follow_outbox(waiting)


def _follow_outbox(waiting: int, patience: float = 60) -> None:
    """A progress bar of the outbox emptying, until it is empty or the bot stops sending."""

    async def follow(application: App) -> None:
        with typer.progressbar(length=waiting, label="sending") as bar:
            still, moved = waiting, time.monotonic()
            while still:
                await asyncio.sleep(1)
                now = await outbox.waiting(application.sessions)
                if now < still:
                    bar.update(still - now)
                    moved = time.monotonic()
                still = now
                if still and time.monotonic() - moved > patience:
                    typer.echo(
                        f"\nthe bot is not sending (is it running?); {still} message(s) stay "
                        "queued and go out when it runs"
                    )
                    return

    _with_app(follow)


@wave_app.command("close")
def wave_close(wave_id: Annotated[int, typer.Argument(help="The wave's number.")]) -> None:
    """Close a wave."""

    async def work(application: App) -> Any:
        await services.close_due_waves(
            application.sessions, application.batching, today=date.today()
        )
        return await services.close_wave(
            application.sessions, application.batching, wave_id, today=date.today()
        )

    wave = _with_app(work)
    typer.echo(f"closed wave {wave.id} of {wave.survey_key}")


@wave_app.command("release")
def wave_release(wave_id: Annotated[int, typer.Argument(help="The wave's number.")]) -> None:
    """Release a closed wave's results: compute its protected publication once and store it.

    Earlier closed waves of the same survey are released first (the trend copies their
    figures). After this, no edit to the survey, the organisation or the categories
    changes any figure of the wave.
    """
    from analysis.release import release

    async def work(application: App) -> Any:
        await services.close_due_waves(
            application.sessions, application.batching, today=date.today()
        )
        return await release(
            application.sessions,
            application.engine,
            wave_id,
            monitoring=application.monitoring,
            today=date.today(),
        )

    publication, made = _with_app(work)
    if not made:
        typer.echo(
            f"wave {wave_id} was already released on {publication.released_on} "
            f"(version {publication.version}); its publication is unchanged"
        )
        return
    typer.echo(f"released wave {wave_id} ({publication.wave_label})")
    typer.echo(publication.audit.sentence())


@wave_app.command("list")
def wave_list() -> None:
    """List waves with their status and number of responses."""

    async def work(application: App) -> list[services.WaveSummary]:
        await services.close_due_waves(
            application.sessions, application.batching, today=date.today()
        )
        return await services.list_waves(application.sessions)

    summaries = _with_app(work)
    if not summaries:
        typer.echo("no waves yet: open one with 'firevoice wave open --survey KEY'")
    for s in summaries:
        w = s.wave
        until = w.closed_on or w.closes_on
        typer.echo(
            f"{w.id:>4}  {w.survey_key:<20} {w.status:<6} {w.opens_on} to {until or '(open-ended)'}"
            f"  {s.responses:>6} responses  k={w.k_unit}/{w.k_characteristic}/{w.k_comments}"
            f"  audience: {', '.join(s.audience)}  {w.label}"
            + (f"  (results released {w.reported_on})" if w.reported_on else "")
        )


# --- schedules ----------------------------------------------------------------------------


def _describe(info: schedules.ScheduleInfo, today: date) -> str:
    s = info.schedule
    audience = ", ".join(s.unit_codes) or "the whole organisation"
    line = (
        f"{s.id:>4}  {s.survey_key}: every {s.every} on day {s.open_on}, open for "
        f"{s.days} day(s); audience {audience}; {info.waves} wave(s) opened"
    )
    if info.next_opens is None:
        return line + f"; removed on {s.removed_on}"
    when = (
        "at the bot's next check (within minutes)"
        if info.next_opens <= today
        else f"on {info.next_opens}"
    )
    return line + f"; next: '{info.next_label}' opens {when}"


@schedule_app.command("add")
def schedule_add(
    survey: Annotated[str, typer.Option("--survey", help="Survey key.")],
    every: Annotated[str, typer.Option("--every", help="month, quarter or year.")],
    open_on: Annotated[
        int, typer.Option("--open-on", help="Day of the period the wave opens (1 = first).")
    ],
    days: Annotated[int, typer.Option("--days", help="How many days each wave takes answers.")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Audience unit code (repeatable).")
    ] = None,
    label_format: Annotated[
        str | None,
        typer.Option(
            "--label-format",
            help="Each wave's name, from {survey} {period} {month} {quarter} {year}.",
        ),
    ] = None,
) -> None:
    """Open a wave of a survey every month, quarter or year, by itself (days in UK time).

    The running bot opens each period's wave on its opening day and closes it after its
    last day; a period never gets two waves.
    """
    today = uk_today()

    async def work(application: App) -> schedules.ScheduleInfo:
        definition = _survey(application, survey)
        return await schedules.add_schedule(
            application.sessions,
            definition,
            every=every,
            open_on=open_on,
            days=days,
            label_format=label_format,
            unit_codes=unit or (),
            today=today,
        )

    info = _with_app(work)
    typer.echo(f"added schedule {info.schedule.id}")
    typer.echo(_describe(info, today))


@schedule_app.command("list")
def schedule_list() -> None:
    """List schedules, with the next wave each will open."""
    today = uk_today()

    async def work(application: App) -> list[schedules.ScheduleInfo]:
        return await schedules.list_schedules(application.sessions, today=today)

    found = _with_app(work)
    if not found:
        typer.echo(
            "no schedules yet: add one with 'firevoice schedule add --survey KEY --every "
            "quarter --open-on 1 --days 14'"
        )
    for info in found:
        typer.echo(_describe(info, today))


@schedule_app.command("remove")
def schedule_remove(
    schedule_id: Annotated[int, typer.Argument(help="The schedule's number.")],
) -> None:
    """Stop a schedule opening waves (waves it opened are kept and close on their dates)."""
    today = uk_today()

    async def work(application: App) -> schedules.ScheduleInfo:
        return await schedules.remove_schedule(application.sessions, schedule_id, today=today)

    info = _with_app(work)
    typer.echo(f"removed schedule {schedule_id}: it opens no more waves")
    typer.echo(_describe(info, today))


# --- responses ----------------------------------------------------------------------------


@responses_app.command("import")
def responses_import(
    file: Path,
    survey: Annotated[str, typer.Option("--survey", help="Survey key.")],
    wave: Annotated[
        int | None, typer.Option("--wave", help="Wave number (default: the open one).")
    ] = None,
) -> None:
    """Import responses from a CSV file: all rows are stored, or none."""
    text = _read_text(file)

    async def work(application: App) -> services.ImportedResponses:
        if survey not in application.catalog:
            raise services.ServiceError(
                f"no survey with key '{survey}' (known: {', '.join(application.catalog.keys())})"
            )
        monitoring = (
            application.catalog.get(MONITORING_SURVEY_KEY)
            if MONITORING_SURVEY_KEY in application.catalog and survey != MONITORING_SURVEY_KEY
            else None
        )
        return await services.import_responses(
            application.sessions, survey, monitoring, text, wave_id=wave, today=date.today()
        )

    done = _with_app(work)
    typer.echo(
        f"{file}: {done.count} response(s) imported into wave {done.wave.id} "
        f"({done.wave.label}) as import {done.import_id}; until the wave's results are "
        f"released, 'firevoice responses withdraw {done.import_id}' takes them out again"
    )


@responses_app.command("imports")
def responses_imports() -> None:
    """List the file imports in the database, with their wave and size."""

    async def work(application: App) -> list[services.ImportRecord]:
        return await services.list_imports(application.sessions)

    records = _with_app(work)
    if not records:
        typer.echo(
            "no imported responses (responses imported before imports had ids are not listed)"
        )
    for r in records:
        if r.withdrawn_in is not None:
            state = f"withdrawn (not counted since version {r.withdrawn_in} of the results)"
        elif r.released:
            state = "counted in released results (withdrawing it publishes a correction)"
        else:
            state = "can be withdrawn"
        typer.echo(
            f"{r.import_id}  wave {r.wave_id} ({r.survey_key})  {r.count} response(s)  {state}"
        )


@responses_app.command("withdraw")
def responses_withdraw(
    import_id: Annotated[str, typer.Argument(help="The import's id, as 'import' printed it.")],
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="Why (needed once the wave's results are released; every report shows it).",
        ),
    ] = None,
) -> None:
    """Take one file import out of its wave.

    Before the wave's results are released, its responses are deleted. After, the results
    are corrected by a new version, audited together with the versions already published.
    """
    from analysis.release import Withdrawal, withdraw

    async def work(application: App) -> Withdrawal:
        return await withdraw(
            application.sessions,
            application.engine,
            import_id,
            reason=reason,
            monitoring=application.monitoring,
            today=date.today(),
            announce=typer.echo,
        )

    done = _with_app(work)
    if done.correction is None:
        typer.echo(
            f"withdrew import {import_id}: {done.count} response(s) deleted "
            f"from wave {done.wave.id}"
        )
        return
    typer.echo(
        f"withdrew import {import_id} ({done.count} response(s)) from wave {done.wave.id}: "
        f"its results are now version {done.correction.version}, which every report shows, "
        "with the reason; earlier versions stay on record"
    )
    typer.echo(done.correction.audit.sentence())


# --- links --------------------------------------------------------------------------------


@app.command()
def link(
    survey: Annotated[str, typer.Option("--survey", help="Survey key.")],
    unit: Annotated[str | None, typer.Option("--unit", help="Unit code the link is for.")] = None,
    qr: Annotated[Path | None, typer.Option("--qr", help="Also write a QR code PNG here.")] = None,
    bot: Annotated[
        str | None, typer.Option("--bot", help="Bot username (default FIREVOICE_BOT_USERNAME).")
    ] = None,
) -> None:
    """Print the Telegram link that starts a survey (for a unit), optionally as a QR code."""
    username = _bot_username(bot)

    async def work(application: App) -> str:
        if survey not in application.catalog:
            raise services.ServiceError(
                f"no survey with key '{survey}' (known: {', '.join(application.catalog.keys())})"
            )
        if application.catalog.get(survey).kind == SurveyKind.MONITORING:
            raise services.ServiceError(
                f"'{survey}' is the equality monitoring survey: the bot offers it to each "
                "person before their first survey (and /profile changes it), so it has no "
                "link of its own; make a link to the survey people should answer"
            )
        if unit is not None:
            async with UnitOfWork(application.sessions) as uow:
                if await uow.units.by_code(unit) is None:
                    raise services.ServiceError(
                        f"unknown unit code {unit!r} ('firevoice org list')"
                    )
        return make_payload(application.secret, LinkTarget(survey, unit))

    payload = _with_app(work)
    _print_link(f"https://t.me/{username}?start={payload}", qr)


def _bot_username(given: str | None) -> str:
    username = (given or _settings().bot_username or "").removeprefix("@").strip()
    if not username:
        fail(
            "the bot's username is needed for the link: "
            "pass --bot NAME or set FIREVOICE_BOT_USERNAME"
        )
    if not all(c.isalnum() or c == "_" for c in username) or not 5 <= len(username) <= 32:
        fail(f"--bot: {username!r} is not a Telegram bot username", code=2)
    return username


def _print_link(url: str, qr: Path | None) -> None:
    typer.echo(url)
    if qr is not None:
        import qrcode

        try:
            qrcode.make(url, border=4).save(qr)
        except OSError as exc:
            fail(f"{qr}: cannot write the QR code: {exc.strerror or exc}")
        typer.echo(f"QR code written to {qr}")


# --- roles and the access log ---------------------------------------------------------------


@role_app.command("invite")
def role_invite(
    role: Annotated[str, typer.Option("--role", help="officer, manager, network_lead or admin.")],
    unit: Annotated[str, typer.Option("--unit", help="The unit the role covers (and below).")],
    label: Annotated[
        str, typer.Option("--label", help="Who it is for, e.g. 'Ashford station manager'.")
    ],
    expires: Annotated[
        str, typer.Option("--expires", help="How long the link works: 7d (days) or 12h (hours).")
    ] = "7d",
    email: Annotated[
        str | None,
        typer.Option(
            "--email",
            help="Grant it to this e-mail address instead: its owner signs in to the "
            "dashboard through the service's identity provider (no link).",
        ),
    ] = None,
    qr: Annotated[Path | None, typer.Option("--qr", help="Also write a QR code PNG here.")] = None,
    bot: Annotated[
        str | None, typer.Option("--bot", help="Bot username (default FIREVOICE_BOT_USERNAME).")
    ] = None,
) -> None:
    """Print a signed, single-use Telegram link that gives a role to whoever opens it (or,
    with --email, grant it to an e-mail address for the dashboard)."""
    from storage import roles
    from surveys.access import AccessError, check_email, check_label, parse_expiry, parse_role
    from surveys.links import make_role_payload

    try:
        kind, hours, label = parse_role(role), parse_expiry(expires), check_label(label)
        address = None if email is None else check_email(email)
    except AccessError as exc:
        fail(str(exc), code=2)
    if address is not None:
        settings = _settings()
        if not settings.oidc_issuer:
            typer.echo(
                "note: FIREVOICE_OIDC_ISSUER is not set, so nobody can sign in with an "
                "e-mail address until the identity provider is configured",
                err=True,
            )

        async def grant(application: App) -> Any:
            return await roles.grant_to_email(
                application.sessions, kind, unit, label, address, today=uk_today()
            )

        row = _with_app(grant)
        where = (
            f"{settings.dashboard_url}/dashboard/" if settings.dashboard_url else "the dashboard"
        )
        typer.echo(
            f"role {row.id}: {kind.value} for {unit} ({label}), granted to {address}; they "
            f"sign in at {where} with their organisation account"
        )
        return
    username = _bot_username(bot)

    async def work(application: App) -> tuple[int, str]:
        invitation = await roles.invite(
            application.sessions,
            kind,
            unit,
            label,
            hours=hours,
            now=time.time(),
            today=uk_today(),
        )
        return invitation.role.id, make_role_payload(application.secret, invitation.ticket)

    role_id, payload = _with_app(work)
    typer.echo(
        f"role {role_id}: {kind.value} for {unit} ({label}); the link works once, for {expires}. "
        "Send it only to that person:"
    )
    _print_link(f"https://t.me/{username}?start={payload}", qr)


@role_app.command("list")
def role_list() -> None:
    """Every role: who it is for, what it covers, and whether it is held."""
    from storage import roles

    async def work(application: App) -> list[Any]:
        return await roles.list_roles(application.sessions, now=time.time())

    infos = _with_app(work)
    if not infos:
        typer.echo("no roles yet ('firevoice role invite')")
        return
    typer.echo(f"{'id':>4}  {'role':<12}  {'unit':<12}  {'status':<8}  since       label")
    for info in infos:
        row = info.row
        since = row.revoked_on or row.bound_on or row.created_on
        typer.echo(
            f"{row.id:>4}  {row.role:<12}  {row.unit_code:<12}  {info.status:<8}  "
            f"{since}  {row.label}" + (f" <{row.email}>" if row.email else "")
        )


@role_app.command("revoke")
def role_revoke(role_id: Annotated[int, typer.Argument(help="The role's id.")]) -> None:
    """End a role now; its holder's /results stops at once and their menu loses it."""
    from storage import roles

    async def work(application: App) -> Any:
        return await roles.revoke(application.sessions, role_id, now=time.time(), today=uk_today())

    row = _with_app(work)
    typer.echo(f"revoked role {row.id} ({row.role} for {row.unit_code}, {row.label})")


@app.command()
def audit(
    days: Annotated[
        int | None, typer.Option("--days", help="Only the last N days (default: all kept).")
    ] = None,
) -> None:
    """Print the access log: every view and download of results by a role holder."""
    from datetime import timedelta

    from storage import roles

    if days is not None and days < 1:
        fail("--days: give a number of days of at least 1", code=2)

    async def work(application: App) -> list[Any]:
        since = None if days is None else uk_today() - timedelta(days=days - 1)
        return await roles.access_log(application.sessions, since=since)

    records = _with_app(work)
    if not records:
        typer.echo("no views or downloads recorded")
        return
    typer.echo("day         role  label                          scope         wave  format")
    for r in records:
        typer.echo(
            f"{r.day}  {r.role_id:>4}  {r.label[:30]:<30} {r.scope:<12}  {r.wave_id:>4}  "
            f"{r.format}   ({r.role}, {r.survey_key})"
        )


# --- the improvement register ---------------------------------------------------------------


@actions_app.command("add")
def actions_add(
    wave: Annotated[int, typer.Option("--wave", help="The released wave it answers.")],
    unit: Annotated[str, typer.Option("--unit", help="The unit the action is for.")],
    area: Annotated[str, typer.Option("--area", help="FRS Equality Framework area, 1-5.")],
    consideration: Annotated[
        str, typer.Option("--consideration", help="What will be done, in a sentence.")
    ],
    lead: Annotated[str, typer.Option("--lead", help="Who leads it (a role label).")],
    due: Annotated[str | None, typer.Option("--due", help="When, e.g. 2027-03-31.")] = None,
    item: Annotated[
        str | None, typer.Option("--item", help="The question key it answers, if one.")
    ] = None,
) -> None:
    """Add an action to the improvement register."""
    from storage import actions
    from surveys.actions import ActionError, check

    try:
        fields = check(
            area=area, consideration=consideration, unit=unit, lead=lead, due=due, item=item
        )
    except ActionError as exc:
        fail(str(exc), code=2)

    async def work(application: App) -> Any:
        return await actions.add(
            application.sessions, wave, fields, by="command line", today=uk_today()
        )

    row = _with_app(work)
    typer.echo(
        f"action {row.id} added for {row.unit_code} (wave {row.wave_id}, status {row.status})"
    )


@actions_app.command("update")
def actions_update(
    action_id: Annotated[int, typer.Argument(help="The action's number.")],
    status: Annotated[
        str | None, typer.Option("--status", help="open, in_progress or done.")
    ] = None,
    progress: Annotated[str | None, typer.Option("--progress", help="Progress so far.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="A new date, e.g. 2027-03-31.")] = None,
    lead: Annotated[str | None, typer.Option("--lead", help="A new lead.")] = None,
) -> None:
    """Change an action's status, progress, date or lead."""
    from storage import actions
    from surveys.actions import (
        MAX_LEAD,
        MAX_PROGRESS,
        ActionError,
        check_text,
        parse_due,
        parse_status,
    )

    try:
        new_status = None if status is None else parse_status(status)
        new_due = parse_due(due)
        new_progress = (
            None
            if progress is None
            else check_text("progress", progress, MAX_PROGRESS, required=False)
        )
        new_lead = None if lead is None else check_text("lead", lead, MAX_LEAD, required=True)
    except ActionError as exc:
        fail(str(exc), code=2)
    if new_status is None and progress is None and new_due is None and lead is None:
        fail("nothing to change: give --status, --progress, --due or --lead", code=2)

    async def work(application: App) -> Any:
        row, _ = await actions.update(
            application.sessions,
            action_id,
            by="command line",
            today=uk_today(),
            status=new_status,
            progress=new_progress,
            due=new_due,
            lead=new_lead,
        )
        return row

    row = _with_app(work)
    typer.echo(f"action {row.id}: {row.status}, due {row.due or '-'}, lead {row.lead}")


@actions_app.command("list")
def actions_list(
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Only these units (repeat for more).")
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="Only this status.")] = None,
) -> None:
    """The improvement register, newest wave first."""
    from storage import actions
    from surveys.actions import ActionError, area_title, parse_status

    try:
        only = None if status is None else parse_status(status)
    except ActionError as exc:
        fail(str(exc), code=2)

    async def work(application: App) -> list[Any]:
        return await actions.listed(application.sessions, units=unit or None, status=only)

    found = _with_app(work)
    if not found:
        typer.echo("no actions yet ('firevoice actions add')")
        return
    for listed in found:
        a = listed.action
        typer.echo(
            f"{a.id:>4}  {a.status:<11}  due {a.due or '-':<10}  {a.unit_code:<10}  "
            f"wave {a.wave_id} ({listed.wave_label})  {area_title(a.area)}\n"
            f"      {a.consideration}  [lead: {a.lead}]"
            + (f"\n      progress: {a.progress}" if a.progress else "")
        )


@actions_app.command("export")
def actions_export(
    fmt: Annotated[str, typer.Option("--format", help="xlsx or csv.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", help="Only these units (repeat for more).")
    ] = None,
) -> None:
    """Write the improvement register in the published layout (area, consideration,
    progress, lead, when, status, unit, item)."""
    from analysis import register
    from storage import actions

    if fmt not in ("xlsx", "csv"):
        fail(f"--format: {fmt!r} is not xlsx or csv", code=2)

    async def work(application: App) -> list[list[str]]:
        found = await actions.listed(application.sessions, units=unit or None)
        units, texts = await actions.labels(application.sessions, found)
        return register.rows(found, units, texts)

    table = _with_app(work)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "csv":
            out.write_text(register.to_csv(table), encoding="utf-8")
        else:
            out.write_bytes(register.to_xlsx(table))
    except OSError as exc:
        fail(f"{out}: cannot write the register: {exc.strerror or exc}")
    typer.echo(f"wrote {out} ({fmt}, {len(table)} action(s))")


# --- reports ------------------------------------------------------------------------------


def _write_report(tables: Any, fmt: str, out: Path) -> None:
    from analysis.report import write

    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write(tables, fmt, out)
    except OSError as exc:
        fail(f"{out}: cannot write the report: {exc.strerror or exc}")


@app.command()
def report(
    survey: Annotated[str, typer.Option("--survey", help="Survey key.")],
    fmt: Annotated[str, typer.Option("--format", help="html, pdf, xlsx or csv.")],
    out: Annotated[Path, typer.Option("--out", help="File to write.")],
    wave: Annotated[
        int | None, typer.Option("--wave", help="Wave number (default: the latest closed wave).")
    ] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", help="Only this unit and what is below it.")
    ] = None,
    language: Annotated[
        str, typer.Option("--language", help="en (English) or cy (Welsh) for HTML and PDF.")
    ] = "en",
) -> None:
    """Write a report: a view of the wave's stored publication (releasing a closed wave
    that has not been released yet)."""
    from analysis.report import FORMATS, ReportError, build
    from analysis.words import LANGUAGES

    if fmt not in FORMATS:
        fail(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}", code=2)
    if language not in LANGUAGES:
        fail(f"--language: {language!r} is not one of {', '.join(LANGUAGES)}", code=2)

    async def work(application: App) -> Any:
        if survey not in application.catalog:
            raise services.ServiceError(
                f"no survey with key '{survey}' (known: {', '.join(application.catalog.keys())})"
            )
        monitoring = (
            application.catalog.get(MONITORING_SURVEY_KEY)
            if MONITORING_SURVEY_KEY in application.catalog
            else None
        )

        await services.close_due_waves(
            application.sessions, application.batching, today=date.today()
        )
        try:
            return await build(
                application.sessions,
                application.engine,
                survey,
                monitoring,
                wave_id=wave,
                unit=unit,
                today=date.today(),
                may_release=True,
                language=language,
            )
        except ReportError as exc:
            raise services.ServiceError(str(exc)) from None

    tables = _with_app(work)
    _write_report(tables, fmt, out)
    typer.echo(f"wrote {out} ({fmt}, wave {tables.wave_id}, {tables.scope_name})")


@app.command()
def demo(
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the demo database and reports.")
    ] = Path("firevoice-demo"),
    per_wave: Annotated[int, typer.Option(help="Synthetic responses per wave.")] = 450,
) -> None:
    """Build a synthetic service with three waves of responses and write HTML and PDF reports."""
    from analysis.report import build
    from bot import demo as demo_service

    if per_wave < 1 or per_wave > 200_000:
        fail("--per-wave: choose between 1 and 200000", code=2)
    out.mkdir(parents=True, exist_ok=True)
    database = out / "demo.db"
    if database.exists():
        database.unlink()
    url = f"sqlite+aiosqlite:///{database.resolve()}"
    settings = load_settings(database_url=url, secret_key_file=out / "demo.secret")

    async def work(application: App) -> Any:
        await demo_service.load(application, per_wave=per_wave, waves=3, today=date.today())
        return await build(
            application.sessions,
            application.engine,
            demo_service.SURVEY,
            application.monitoring,
            today=date.today(),
            may_release=True,
            synthetic=True,
        )

    tables = _with_app(work, settings)
    for fmt in ("html", "pdf"):
        path = out / f"staff_pulse_report.{fmt}"
        _write_report(tables, fmt, path)
        typer.echo(f"wrote {path}")
    typer.echo(
        f"synthetic database: {database} (try: FIREVOICE_DATABASE_URL={url} firevoice report "
        "--survey staff_pulse --format xlsx --out report.xlsx)"
    )


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
