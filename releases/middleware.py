"""Requests the site cannot answer normally get a clear 4xx or 503, never a 500.

- ``RefuseUnstorableText``: a path, query string or form field holding a character no
  database can store (NUL, a lone surrogate; ``releases.storable``) is a 400 before any
  view, filter, form or DRF code reads it. One check for every surface: pages, feeds,
  sitemaps, the API, the admin. (Django's form ``CharField`` refuses NUL too, but query
  parameters read outside forms did not, and PostgreSQL answered with an error.)
- ``DatabaseUnavailable``: while the database cannot be reached (a restart, a failover,
  too many connections), views answer 503 with ``Retry-After`` instead of 500. Nothing
  is kept: the next request opens a new connection (Django closes a connection that
  raised at the end of the request), so the site comes back by itself. A read replica's
  failure is not logged here: ``newsroom.db_router`` logs it, naming the replica, and
  serves the request again from the primary.

Both answer JSON under ``/api/`` (``{"detail": …}``, as DRF does) and a page elsewhere.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers

from newsroom.db_router import failed_on_replica
from releases.storable import is_storable

logger = logging.getLogger(__name__)

BAD_CHARACTER = "The address or form contains a character that is not allowed (such as NUL)."
UNAVAILABLE = "The newsroom is briefly unavailable. Please try again shortly."
# Seconds a client should wait: a database restart or failover takes about this long.
RETRY_AFTER = 30
# Form content types whose fields Django parses into request.POST.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


class RefuseUnstorableText:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.storable(request):
            return self.bad_request(request)
        return self.get_response(request)

    @staticmethod
    def storable(request: HttpRequest) -> bool:
        """Whether the path, every query key and value and every form field can be stored.

        Reads ``request.POST`` only for form content types (as ``CsrfViewMiddleware``
        does anyway); uploaded files are not text and are not looked at.
        """
        texts = [request.path_info]
        sources = [request.GET]
        if request.method == "POST" and request.content_type in FORM_TYPES:
            sources.append(request.POST)
        for query in sources:
            for key, values in query.lists():
                texts.append(key)
                texts.extend(values)
        return all(is_storable(text) for text in texts)

    @staticmethod
    def bad_request(request: HttpRequest) -> HttpResponse:
        if _is_api(request):
            return JsonResponse({"detail": BAD_CHARACTER}, status=400)
        # The page echoes the query (the search box): not this one.
        request.GET = QueryDict()
        return render(request, "400.html", {"message": BAD_CHARACTER}, status=400)


class DatabaseUnavailable:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        # psycopg's and sqlite3's errors reach views wrapped in Django's classes.
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        if not failed_on_replica(exception):
            logger.error("Database unavailable: %s", exception, exc_info=exception)
        return service_unavailable(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the 503 of ``service_unavailable`` when the uncaught exception is
    the database's, else Django's plain 500 page.

    ``DatabaseUnavailable`` sees only what views and templates raise; this also covers a
    database error raised by a middleware (a session saved in ``process_response``).
    Django calls the handler inside its ``except`` block, so ``sys.exc_info()`` holds the
    exception."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 "try again shortly" answer, built without the database (no context
    processors, no session): JSON under ``/api/``, ``503.html`` elsewhere."""
    if _is_api(request):
        response = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response
