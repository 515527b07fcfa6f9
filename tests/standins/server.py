"""A stand-in HTTP server on 127.0.0.1 (a random port) in a background thread, for `with` blocks."""

from __future__ import annotations

import threading
from typing import Any, Callable

from werkzeug.serving import WSGIRequestHandler, make_server


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:  # readable output; request lines carry test secrets
        pass


class LocalServer:
    """Serves `wsgi` on 127.0.0.1 while inside `with`; `url` is its address."""

    def __init__(self, wsgi: Callable, path: str = "/"):
        self.server = make_server("127.0.0.1", 0, wsgi, threaded=True, request_handler=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}{path}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LocalServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(10)
