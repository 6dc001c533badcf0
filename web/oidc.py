"""Dashboard sign-in through the service's identity provider (OpenID Connect).

The authorization code flow with PKCE, a state and a nonce: the browser is sent to the
provider (its endpoints come from its discovery document) and back to
/dashboard/oidc/callback with a code, which is exchanged for an ID token. The ID token is
checked with PyJWT against the provider's published keys (signature, issuer, audience,
expiry, nonce), and its e-mail claim names the roles granted with
`firevoice role invite --email`. State, nonce and PKCE verifier travel in a short-lived
cookie signed with a key derived from the secret key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from aiohttp import ClientError, ClientSession, ClientTimeout

from surveys.pseudonym import derive_key

FLOW_PURPOSE = b"firevoice/oidc-flow/v1"
FLOW_SECONDS = 600
ALGORITHMS = ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"]
DISCOVERY_SECONDS = 3600


class OidcError(Exception):
    """A sign-in that cannot be completed; the message says why (no secrets in it)."""


@dataclass(frozen=True)
class Flow:
    state: str
    nonce: str
    verifier: str
    expires: float


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def new_flow(now: float) -> Flow:
    return Flow(
        secrets.token_urlsafe(24),
        secrets.token_urlsafe(24),
        secrets.token_urlsafe(48),
        now + FLOW_SECONDS,
    )


def seal_flow(secret: bytes, flow: Flow) -> str:
    body = _b64(json.dumps([flow.state, flow.nonce, flow.verifier, flow.expires]).encode())
    tag = hmac.new(derive_key(secret, FLOW_PURPOSE), body.encode(), hashlib.sha256).digest()
    return f"{body}.{_b64(tag)}"


def open_flow(secret: bytes, sealed: str, now: float) -> Flow:
    body, _, tag = sealed.partition(".")
    expected = hmac.new(derive_key(secret, FLOW_PURPOSE), body.encode(), hashlib.sha256).digest()
    try:
        good = hmac.compare_digest(_unb64(tag), expected)
        state, nonce, verifier, expires = json.loads(_unb64(body))
    except (ValueError, TypeError):
        raise OidcError("the sign-in was not started here or has been changed") from None
    if not good:
        raise OidcError("the sign-in was not started here or has been changed")
    if now > float(expires):
        raise OidcError("the sign-in took too long; please start again")
    return Flow(str(state), str(nonce), str(verifier), float(expires))


def challenge(verifier: str) -> str:
    return _b64(hashlib.sha256(verifier.encode()).digest())


@dataclass
class Provider:
    """One identity provider, with its discovery document and keys fetched when needed."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str
    email_claim: str = "email"
    _discovery: dict[str, Any] | None = None
    _fetched: float = 0.0
    _keys: jwt.PyJWKSet | None = None

    async def _json(self, http: ClientSession, url: str, **post: str) -> dict[str, Any]:
        try:
            if post:
                async with http.post(url, data=post) as answer:
                    data = await answer.json(content_type=None)
                    status = answer.status
            else:
                async with http.get(url) as answer:
                    data = await answer.json(content_type=None)
                    status = answer.status
        except (ClientError, TimeoutError, ValueError) as exc:
            raise OidcError(
                f"the identity provider could not be reached ({type(exc).__name__})"
            ) from None
        if status >= 400 or not isinstance(data, dict):
            error = data.get("error", status) if isinstance(data, dict) else status
            raise OidcError(f"the identity provider refused the sign-in ({error})")
        return data

    async def discovery(self, http: ClientSession) -> dict[str, Any]:
        if self._discovery is None or time.time() - self._fetched > DISCOVERY_SECONDS:
            url = f"{self.issuer}/.well-known/openid-configuration"
            self._discovery = await self._json(http, url)
            self._fetched = time.time()
            self._keys = None
        return self._discovery

    async def login_url(self, flow: Flow) -> str:
        async with self._http() as http:
            document = await self.discovery(http)
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid email profile",
            "state": flow.state,
            "nonce": flow.nonce,
            "code_challenge": challenge(flow.verifier),
            "code_challenge_method": "S256",
        }
        return f"{document['authorization_endpoint']}?{urlencode(query)}"

    def _http(self) -> ClientSession:
        return ClientSession(timeout=ClientTimeout(total=15))

    async def email(self, code: str, flow: Flow) -> str:
        """Exchange the code and check the ID token; returns its e-mail address."""
        async with self._http() as http:
            document = await self.discovery(http)
            tokens = await self._json(
                http,
                document["token_endpoint"],
                grant_type="authorization_code",
                code=code,
                redirect_uri=self.redirect_uri,
                client_id=self.client_id,
                client_secret=self.client_secret,
                code_verifier=flow.verifier,
            )
            token = tokens.get("id_token")
            if not isinstance(token, str):
                raise OidcError("the identity provider sent no ID token")
            key = await self._key(http, document, token)
        try:
            claims = jwt.decode(
                token,
                key=key.key,
                algorithms=ALGORITHMS,
                audience=self.client_id,
                issuer=document.get("issuer", self.issuer),
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=60,
            )
        except jwt.PyJWTError as exc:
            raise OidcError(f"the ID token was not valid ({type(exc).__name__})") from None
        if not hmac.compare_digest(str(claims.get("nonce", "")), flow.nonce):
            raise OidcError("the ID token was not issued for this sign-in (nonce)")
        email = claims.get(self.email_claim)
        if not isinstance(email, str) or "@" not in email:
            raise OidcError(f"the ID token has no e-mail address (claim '{self.email_claim}')")
        return email.strip().lower()

    async def _key(self, http: ClientSession, document: dict[str, Any], token: str) -> jwt.PyJWK:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
        except jwt.PyJWTError:
            raise OidcError("the ID token could not be read") from None
        for attempt in range(2):  # keys rotate: fetch them again once if the kid is new
            if self._keys is None or attempt:
                self._keys = jwt.PyJWKSet.from_dict(await self._json(http, document["jwks_uri"]))
            for key in self._keys.keys:
                if kid is None or key.key_id == kid:
                    return key
        raise OidcError("the ID token is signed with a key the identity provider does not publish")
