"""Keeping the API token out of sight: a holder no repr can show, and scrubbing it from errors."""

from __future__ import annotations

from eomer_client.errors import EomerError, InvalidTokenError


class Token:
    """Holds the token so that no repr, str or f-string of ours can show it."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "'***'"

    __str__ = __repr__


def checked_token(token: str | None) -> Token | None:
    """Strip a pasted token and refuse characters no bearer token has (they would break headers)."""
    text = (token or "").strip()
    if not text:
        return None
    if not all("!" <= char <= "~" for char in text):
        raise InvalidTokenError(
            "The API token contains spaces or characters that a token never has."
        )
    return Token(text)


def _blank(value: object, secret: str) -> object:
    return value.replace(secret, "***") if isinstance(value, str) else value


def scrub(exc: EomerError, secret: str) -> None:
    """Replace the token in an error's text; a cause that would show it is dropped."""
    exc.args = tuple(
        arg.replace(secret, "***") if isinstance(arg, str) else arg for arg in exc.args
    )
    for name, value in vars(exc).items():
        if isinstance(value, str) and secret in value:
            setattr(exc, name, value.replace(secret, "***"))
        elif isinstance(value, tuple) and any(isinstance(v, str) and secret in v for v in value):
            setattr(exc, name, tuple(_blank(v, secret) for v in value))
    if secret in str(exc.__cause__) or secret in str(exc.__context__):
        exc.__cause__ = exc.__context__ = None
        exc.__suppress_context__ = True
