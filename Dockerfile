# Build stage: a virtual environment with exactly the locked dependencies, then Créneau.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
WORKDIR /src
# The locked dependencies in a layer of their own: a code change does not reinstall them.
COPY requirements.txt ./
RUN /opt/venv/bin/pip install --no-deps -r requirements.txt
COPY pyproject.toml README.md ./
COPY app ./app
RUN /opt/venv/bin/pip install --no-deps . \
    && /opt/venv/bin/python -m pip uninstall -y pip setuptools wheel

# Runtime stage: the venv, the migrations, the fonts exhibits are rendered with, an
# unprivileged user; no compiler, no pip.
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
# Tesseract with French and English: the worker reads each screenshot (docs/readings.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core \
        tesseract-ocr tesseract-ocr-fra tesseract-ocr-eng \
    && rm -rf /var/lib/apt/lists/* \
    && python -m pip uninstall -y pip setuptools wheel || true
RUN useradd --system --uid 10001 --home-dir /var/lib/creneau --create-home creneau
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv/creneau
COPY alembic.ini ./
COPY migrations ./migrations
USER creneau
EXPOSE 8000
VOLUME ["/var/lib/creneau"]
# Ready, not only alive: the database answers and its schema is current. Migrations run first.
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
    CMD python -c "import urllib.request,os; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/health/ready')"
# Migrations first (idempotent; waits for the database), then the server. With several
# replicas, run `creneau db upgrade` once as a release step and start them with `creneau serve`.
CMD ["sh", "-c", "creneau db upgrade && exec creneau serve $CRENEAU_SERVE_ARGS"]
