"""Pure credential primitives: password hashing, access tokens, API-key secrets."""

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

_password_hash = PasswordHash.recommended()  # argon2id with pwdlib's current parameters
# Verified when the e-mail is unknown, so a wrong address costs the same time as a wrong password.
_DUMMY_HASH = _password_hash.hash(secrets.token_urlsafe(16))

TOKEN_ALGORITHM = "HS256"
TOKEN_ISSUER = "creneau"
API_KEY_PREFIX = "crn_"
FEED_TOKEN_PREFIX = "crnfeed_"  # calendar feed tokens: same shape, another namespace
_API_KEY_LOOKUP_LENGTH = 12


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    return _password_hash.verify(password, password_hash)


class InvalidToken(Exception):
    """The token is malformed, tampered with, expired or not an access token."""


@dataclass(frozen=True)
class AccessToken:
    token: str
    expires_at: datetime


def create_access_token(
    user_id: uuid.UUID, *, key: str, now: datetime, lifetime: timedelta
) -> AccessToken:
    expires_at = now + lifetime
    claims = {
        "sub": str(user_id),
        "iss": TOKEN_ISSUER,
        "typ": "access",
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "jti": secrets.token_hex(8),
    }
    return AccessToken(jwt.encode(claims, key, algorithm=TOKEN_ALGORITHM), expires_at)


def access_token_claims(token: str, *, key: str, now: datetime) -> tuple[uuid.UUID, datetime]:
    """The token's user id and when it expires; expiry is checked against ``now`` (the app's
    clock, not PyJWT's)."""
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[TOKEN_ALGORITHM],
            issuer=TOKEN_ISSUER,
            options={
                "require": ["sub", "exp", "iat", "iss"],
                "verify_exp": False,
                "verify_iat": False,
                "verify_nbf": False,
            },
        )
        if claims.get("typ") != "access":
            raise InvalidToken("not an access token")
        if not isinstance(claims["exp"], int) or claims["exp"] <= now.timestamp():
            raise InvalidToken("Signature has expired")
        return uuid.UUID(claims["sub"]), datetime.fromtimestamp(claims["exp"], UTC)
    except (jwt.PyJWTError, ValueError) as exc:
        raise InvalidToken(str(exc)) from exc


@dataclass(frozen=True)
class NewApiKey:
    secret: str
    lookup: str
    secret_hash: str


def generate_api_key(prefix: str = API_KEY_PREFIX) -> NewApiKey:
    lookup = secrets.token_hex(_API_KEY_LOOKUP_LENGTH // 2)
    secret = f"{prefix}{lookup}_{secrets.token_urlsafe(32)}"
    return NewApiKey(secret=secret, lookup=lookup, secret_hash=hash_api_key(secret))


def is_api_key(credential: str) -> bool:
    return credential.startswith(API_KEY_PREFIX)


def api_key_lookup(secret: str, prefix: str = API_KEY_PREFIX) -> str | None:
    if not secret.startswith(prefix):
        return None
    lookup, sep, _ = secret.removeprefix(prefix).partition("_")
    return lookup if sep and len(lookup) == _API_KEY_LOOKUP_LENGTH else None


def hash_api_key(secret: str) -> str:
    # API keys carry 256 bits of entropy: a plain SHA-256 is enough, and fast on every request.
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_matches(secret: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(secret), secret_hash)
