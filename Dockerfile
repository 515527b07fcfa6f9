# The archive_service image: web (gunicorn), Celery worker and beat share it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ARCHIVE_HOME=/data \
    ARCHIVE_TEMPLATES_DIR=/app/templates \
    ARCHIVE_PRODUCTION=true

RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       poppler-utils xorriso openssl libengine-gost-openssl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY archive_service ./archive_service
COPY signing ./signing
COPY retention ./retention
COPY storage ./storage
COPY templates ./templates
RUN pip install --no-cache-dir . \
    && useradd --system --home /data --create-home archive
USER archive
VOLUME ["/data"]
EXPOSE 8000
# gunicorn_conf: the request limits, answered in Russian past them (archive_service/gunicorn_worker.py)
CMD ["gunicorn", "-c", "python:archive_service.gunicorn_conf", "--bind", "0.0.0.0:8000", "--workers", "4", \
     "archive_service:create_app()"]
