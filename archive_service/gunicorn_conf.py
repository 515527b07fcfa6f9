"""gunicorn's settings for the archive's web app (`gunicorn -c python:archive_service.gunicorn_conf`):
the Makefile's `run`, the Docker image and docker-compose.yml use it; the address to bind and the
number of workers stay on their command lines.

The limits of a request are gunicorn's defaults written out, since the archive answers past them in
Russian (`archive_service.gunicorn_worker`): an address line of at most 4094 bytes (a search box
takes 100 characters, any address value 1000 — `domain.fields` — so every page the archive links
fits), at most 100 headers of at most 8190 bytes each.
"""

worker_class = "archive_service.gunicorn_worker.RussianThreadWorker"
threads = 4
timeout = 120
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
