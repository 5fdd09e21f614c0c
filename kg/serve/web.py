"""What every HTML page of ``kg serve`` shares: the reader's language and the headers that keep a page to itself.

The language a page is written in comes from ``?lang=`` (then remembered in the ``kg_lang`` cookie, so that it holds
across pages), else from that cookie, else from ``Accept-Language``, else English. Every page is sent with a strict
Content-Security-Policy: scripts, styles, images and fonts only from this server, requests only to this server, no
frames, no plugins, no base or form targets elsewhere.
"""

from __future__ import annotations

import base64
import hashlib

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..lang import short, tag
from ..results import TABLE_STYLE

#: The cookie remembering the reader's language.
COOKIE = "kg_lang"
#: The policy every page is sent with: nothing from any other host, nothing inline unless a page names its hash.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def style_hash(style: str) -> str:
    """The source expression that lets the inline style element holding ``style`` apply, and nothing else inline.

    >>> style_hash("p{}")
    "'sha256-gG2yISYereRMiG2lMXrbiUgi0Ubw9p7QCeWcroOvy9Y='"
    """
    digest = hashlib.sha256(style.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


#: The policy of a result written as an HTML table (a query or named query opened by a browser): :data:`CSP`, with
#: the table's one inline style allowed by its hash.
TABLE_CSP = CSP.replace("style-src 'self'", f"style-src 'self' {style_hash(TABLE_STYLE)}")


def language(request: Request) -> str:
    """The language to write ``request``'s page in, by its short code (``en``, ``zh``): ``?lang=`` (any spelling
    :mod:`kg.lang` accepts), the cookie, ``Accept-Language``, else English."""
    asked = _short(request.query_params.get("lang", ""))
    if asked:
        return asked
    kept = _short(request.cookies.get(COOKIE, ""))
    if kept:
        return kept
    for part in request.headers.get("accept-language", "").split(","):
        found = _short(part.split(";")[0].strip().split("-")[0])  # a reader of any Chinese reads ours
        if found:
            return found
    return "en"


def _short(spelling: str) -> str:
    """The short code of the language ``spelling`` names, "" when kg writes no page in it."""
    return short(spelling) if tag(spelling) else ""


def page(
    body: str, request: Request, *, status: int = 200, csp: str = CSP, headers: dict[str, str] | None = None
) -> Response:
    """An HTML page with the shared headers; remembers a language the request chose with ``?lang=``."""
    response = HTMLResponse(body, status_code=status, headers=headers)
    secure(response, csp)
    asked = _short(request.query_params.get("lang", ""))
    if asked:
        response.set_cookie(COOKIE, asked, max_age=365 * 24 * 3600, path="/", samesite="lax")
    return response


def secure(response: Response, csp: str = CSP) -> Response:
    """Add the headers every page carries: the policy, no MIME sniffing, no referrer sent to other hosts."""
    response.headers["Content-Security-Policy"] = csp
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
