"""Entry point for workers: `celery -A archive_service.celery_app worker`."""

from archive_service import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
