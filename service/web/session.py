"""Sign-in to the web page, the session cookie and CSRF protection.

Placeholder: the web helper fills it in (a sign-in page that takes an API key and keeps an HttpOnly, SameSite
session cookie; a CSRF token on every form and fetch that writes).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

router = APIRouter()


def page_context(request: Request) -> dict[str, Any]:
    """Variables every template gets: the signed-in principal (None when authentication is off), the CSRF token.

    :param request: the current request.
    :returns: template variables.
    """
    return {"principal": None, "csrf_token": "", "path": request.url.path}
