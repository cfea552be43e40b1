# syntax=docker/dockerfile:1
# Build stage: a virtual environment with Créneau and its dependencies.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml README.md constraints.txt ./
COPY app ./app
RUN /opt/venv/bin/pip install -c constraints.txt ".[s3]"

# Runtime stage: the venv, the migrations, an unprivileged user; nothing else.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    CRENEAU_ENV=production \
    CRENEAU_DATA_DIR=/var/lib/creneau \
    CRENEAU_ALEMBIC_INI=/srv/creneau/alembic.ini \
    HOST=0.0.0.0 \
    PORT=8000
# DejaVu Sans: the Unicode font e-mail and text exhibits are rendered with in the filing bundle.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /var/lib/creneau --create-home creneau
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/creneau
COPY alembic.ini ./
COPY migrations ./migrations
USER creneau
EXPOSE 8000
VOLUME ["/var/lib/creneau"]
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/health')"
# Migrations first (idempotent), then the server; WORKERS and proxy flags via CRENEAU_SERVE_ARGS.
CMD ["sh", "-c", "creneau db upgrade && exec creneau serve $CRENEAU_SERVE_ARGS"]
