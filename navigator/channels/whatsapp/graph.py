"""A small Graph API client for sending WhatsApp messages, with retries and backoff.

The base URL (with its version) is configurable: deployments may go through a business
solution provider, and tests use a local fake. 429 and 5xx answers and connection
failures are retried with exponential backoff; other 4xx answers never are. Errors are
logged with status, Graph error code and trace id, never the recipient or the text.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from typing import Any

import httpx

from navigator.privacy import redact

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_DELAY_S = 30.0


class WhatsAppError(Exception):
    """Root of the WhatsApp adapter's errors."""


class GraphUnavailable(WhatsAppError):
    """The Graph API could not be reached after the retries."""


class GraphAPIError(WhatsAppError):
    """The Graph API refused a request."""

    def __init__(self, status: int, code: int | None, message: str, trace_id: str | None) -> None:
        self.status = status
        self.code = code
        self.trace_id = trace_id
        super().__init__(f"HTTP {status}, Graph error {code}: {message}")

    @classmethod
    def from_response(cls, response: httpx.Response) -> GraphAPIError:
        """Read Graph's ``{"error": {"message", "code", "fbtrace_id"}}`` body."""
        try:
            error = response.json().get("error", {})
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
            error = {}
        if not isinstance(error, dict):
            error = {}
        code = error.get("code")
        return cls(
            status=response.status_code,
            code=code if isinstance(code, int) else None,
            message=redact(str(error.get("message", response.reason_phrase)))[:200],
            trace_id=error.get("fbtrace_id") if isinstance(error.get("fbtrace_id"), str) else None,
        )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class GraphClient:
    """Posts message payloads to ``{base}/{phone_number_id}/messages``."""

    def __init__(
        self,
        messages_url: str,
        access_token: str,
        *,
        timeout: float = 10.0,
        max_retries: int = 3,
        backoff: float = 0.5,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.messages_url = messages_url
        self.max_retries = max_retries
        self.backoff = backoff
        self._headers = {"Authorization": f"Bearer {access_token}"}
        self._client = client or httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=100, max_keepalive_connections=50),
        )

    def _delay(self, attempt: int, response: httpx.Response | None) -> float:
        hinted = _retry_after(response) if response is not None else None
        delay = hinted if hinted is not None else self.backoff * (2**attempt)
        return min(MAX_DELAY_S, delay * (1 + random.uniform(0, 0.1)))

    async def send(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Post one payload; raises ``GraphAPIError`` or ``GraphUnavailable``."""
        kind = payload.get("type") or payload.get("status") or "message"
        for attempt in range(self.max_retries + 1):
            response: httpx.Response | None = None
            try:
                response = await self._client.post(
                    self.messages_url, json=payload, headers=self._headers
                )
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
                # The request never left: safe to try again.
                failure: WhatsAppError = GraphUnavailable(type(exc).__name__)
            except httpx.TransportError as exc:
                # It may have been delivered; a retry could send the citizen a duplicate.
                logger.error("Graph API %s failed mid-request: %s", kind, type(exc).__name__)
                raise GraphUnavailable(type(exc).__name__) from exc
            else:
                if response.is_success:
                    try:
                        body = response.json()
                    except (json.JSONDecodeError, UnicodeDecodeError):
                        return {}
                    return body if isinstance(body, dict) else {}
                failure = GraphAPIError.from_response(response)
                if response.status_code not in RETRY_STATUSES:
                    logger.error("Graph API refused %s: %s", kind, failure)
                    raise failure
            if attempt == self.max_retries:
                break
            delay = self._delay(attempt, response)
            logger.warning(
                "Graph API %s: %s; retry %d/%d in %.2fs",
                kind,
                failure,
                attempt + 1,
                self.max_retries,
                delay,
            )
            await asyncio.sleep(delay)
        logger.error("Graph API %s failed after %d attempts: %s", kind, attempt + 1, failure)
        raise failure

    async def mark_read(self, message_id: str) -> None:
        """Mark an incoming message as read (blue ticks)."""
        await self.send(
            {"messaging_product": "whatsapp", "status": "read", "message_id": message_id}
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()
