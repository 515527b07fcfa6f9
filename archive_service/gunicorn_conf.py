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
keepalive = 75
"""Seconds an idle connection stays open for the browser's next request (gunicorn's default is 2). The archive
faces its users without a proxy in front, and a person reads a page for seconds to a minute before the next
click: at 2 s nearly every click opened a new connection, and a request sent on a connection the server was
closing at that moment was cut («connection reset», 3 of 7,280 requests under benchmarks/load.py). The thread
worker keeps idle connections in its poller, not in a thread, so they cost a file descriptor each (up to
gunicorn's 1,000 a worker). 75 s is nginx's default for the same reason."""
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
