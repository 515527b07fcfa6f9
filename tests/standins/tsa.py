"""A GOST timestamp authority over HTTP (RFC 3161 § 3.4), as the accredited services answer:
POST application/timestamp-query, reply application/timestamp-reply. The archive reaches it
through ARCHIVE_TSA_URL exactly as it would reach КриптоПро TSP or the ФНС's service."""

from __future__ import annotations

from asn1crypto import tsp
from werkzeug.wrappers import Request, Response

from signing.gost_tsa import GostTimestampAuthority
from standins.server import LocalServer


class GostTsaStandIn(LocalServer):
    def __init__(self, authority: GostTimestampAuthority):
        self.authority = authority
        self.requests: list[tsp.TimeStampReq] = []
        super().__init__(self.wsgi, "/tsp")

    def wsgi(self, environ, start_response):
        request = Request(environ)
        if request.method != "POST" or request.path != "/tsp":
            return Response("not found", status=404)(environ, start_response)
        if request.mimetype != "application/timestamp-query":
            return Response("wrong content type", status=415)(environ, start_response)
        try:
            query = tsp.TimeStampReq.load(request.get_data())
            _ = query.native
        except (ValueError, TypeError):
            return Response("bad request", status=400)(environ, start_response)
        self.requests.append(query)
        reply = self.authority.respond(query).dump()
        return Response(reply, mimetype="application/timestamp-reply")(environ, start_response)
