# syntax=docker/dockerfile:1

# --- build: wheels for firevoice and its dependencies --------------------------------
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY surveys ./surveys
COPY storage ./storage
COPY analysis ./analysis
COPY web ./web
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

# --- run: only the installed package, as an unprivileged user -------------------------
FROM python:3.11-slim
# Production by default: the secret key is never created here. It comes from
# FIREVOICE_SECRET_KEY or from a file mounted outside the data volume (a Docker or
# Kubernetes secret), so a backup of /data never holds the key that opens it.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    FIREVOICE_ENVIRONMENT=production \
    FIREVOICE_DATABASE_URL=sqlite+aiosqlite:////data/firevoice.db \
    FIREVOICE_SECRET_KEY_FILE=/run/secrets/firevoice_secret_key \
    FIREVOICE_DASHBOARD_HOST=0.0.0.0
RUN useradd --create-home --uid 10001 firevoice \
    && mkdir /data && chown firevoice:firevoice /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER firevoice
WORKDIR /data
VOLUME ["/data"]
# The results dashboard, when FIREVOICE_DASHBOARD_URL is set (long polling; a webhook
# serves it on its own port).
EXPOSE 8080
# Migrations first, then the bot (which would also upgrade, but a failed migration
# should stop the container before the bot connects to Telegram).
CMD ["sh", "-c", "firevoice db upgrade && exec firevoice run"]
