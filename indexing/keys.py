"""API keys, scopes and the audit trail: everything about who may do what, without HTTP.

A key is `<key_id>.<secret>`: the id (16 hex characters) finds the stored entry, so one request verifies one hash;
the secret (43 URL-safe characters, 256 bits) is stored only as a salted scrypt hash and compared in constant time.
`ADMIN_API_KEY` is a key that is never stored: the bootstrap admin, named «admin».
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from indexing.constants import LOCAL_OWNER
from indexing.errors import InvalidKeyName, KeyExists, NotFound

BOOTSTRAP_ADMIN = "admin"
KEY_NAME_RE = re.compile(r"^[a-z0-9._-]{1,64}$")
_KEY_RE = re.compile(r"^([0-9a-f]{16})\.([A-Za-z0-9_-]{20,128})$")

# scrypt cost: 16 MiB and ~50 ms per verification, paid once per key and cache lifetime, not per request.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P, _SCRYPT_LEN = 2**14, 8, 1, 32


class Scope(StrEnum):
    """What a key may do. Each scope includes the ones before it: read < write < admin."""

    READ = "read"
    WRITE = "write"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: Scope) -> bool:
        """:returns: True when a key of this scope may do what `needed` requires."""
        return self.rank >= needed.rank


_RANK = {Scope.READ: 0, Scope.WRITE: 1, Scope.ADMIN: 2}


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's name (the owner of what it uploads) and its scope."""

    name: str
    scope: Scope

    def can_touch(self, owner: str) -> bool:
        """:returns: True when this caller may replace or delete a record of `owner` (its own, or any as admin)."""
        return self.scope is Scope.ADMIN or (self.scope.allows(Scope.WRITE) and owner == self.name)


LOCAL = Principal(LOCAL_OWNER, Scope.ADMIN)
"""The single local user when authentication is off: owner «local», allowed everything."""


@dataclass(frozen=True)
class Caller:
    """A principal plus where the request came from, for the audit trail.

    :param principal: who.
    :param client: the client address ("127.0.0.1", "cli"), if known.
    :param request_id: the request id, if the service assigned one.
    """

    principal: Principal
    client: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class StoredKey:
    """A key as stored: never the secret, only its salted hash."""

    name: str
    scope: Scope
    key_id: str
    secret_hash: str
    created_at: str

    def to_payload(self) -> dict[str, Any]:
        return {**asdict(self), "scope": self.scope.value}

    @classmethod
    def from_payload(cls, p: dict[str, Any]) -> StoredKey:
        return cls(p["name"], Scope(p["scope"]), p["key_id"], p["secret_hash"], p["created_at"])


@dataclass(frozen=True)
class AuditEntry:
    """One write, as the audit trail keeps it.

    :param action: "document.indexed" | "document.duplicate" | "document.superseded" | "document.replaced" |
        "document.rejected" | "document.deleted" | "key.created" | "key.revoked" | "store.snapshot" (a backup).
    :param actor: the key name that did it ("local" with authentication off).
    :param at: UTC time, ISO 8601 with microseconds (orders the trail).
    :param document_id: the record concerned (uploads, deletes).
    :param filename: its filename.
    :param key_name: the key concerned (key actions).
    :param replaced: ids of the older versions an upload replaced.
    :param error: the error code of a rejected upload.
    :param client: the client address.
    :param request_id: the request id.
    """

    action: str
    actor: str
    at: str
    document_id: str | None = None
    filename: str | None = None
    key_name: str | None = None
    replaced: tuple[str, ...] = ()
    error: str | None = None
    client: str | None = None
    request_id: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_payload(self) -> dict[str, Any]:
        return {**asdict(self), "replaced": list(self.replaced), "ts": _ts(self.at)}

    @classmethod
    def from_payload(cls, p: dict[str, Any]) -> AuditEntry:
        return cls(
            action=p["action"],
            actor=p["actor"],
            at=p["at"],
            document_id=p.get("document_id"),
            filename=p.get("filename"),
            key_name=p.get("key_name"),
            replaced=tuple(p.get("replaced") or ()),
            error=p.get("error"),
            client=p.get("client"),
            request_id=p.get("request_id"),
            id=p["id"],
        )


def utc_now(timespec: str = "seconds") -> str:
    """:returns: the current UTC time, ISO 8601 ("2026-12-01T10:50:29+00:00")."""
    return dt.datetime.now(dt.UTC).isoformat(timespec=timespec)


def _ts(iso: str) -> float:
    return dt.datetime.fromisoformat(iso).timestamp()


# ----------------------------------------------------------------- key material


def check_name(name: str) -> str:
    """:returns: `name` when it is a valid key name (1-64 characters of a-z 0-9 . _ -).

    :raises InvalidKeyName: otherwise.
    """
    if not isinstance(name, str) or not KEY_NAME_RE.match(name):
        raise InvalidKeyName(
            f"Nombre de clave no válido: «{name}». Use de 1 a 64 caracteres entre a-z, 0-9, punto, guion y guion bajo."
        )
    return name


def parse_scope(value: str) -> Scope:
    """:raises InvalidKeyName: `value` is not read, write or admin."""
    try:
        return Scope(value)
    except ValueError:
        raise InvalidKeyName(f"Ámbito no válido: «{value}». Use read, write o admin.") from None


def generate_key() -> tuple[str, str]:
    """:returns: (key_id, full key "<key_id>.<secret>") of a new random key."""
    key_id = secrets.token_hex(8)
    return key_id, f"{key_id}.{secrets.token_urlsafe(32)}"


def split_key(key: str) -> tuple[str, str] | None:
    """:returns: (key_id, secret) of a well-formed key, else None."""
    m = _KEY_RE.match(key)
    return (m.group(1), m.group(2)) if m else None


def hash_secret(secret: str, *, salt: bytes | None = None) -> str:
    """Salted scrypt hash of a secret, with its parameters: "scrypt$n$r$p$salt_hex$hash_hex".

    :param secret: the secret part of a key.
    :param salt: 16 random bytes when not given.
    """
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        secret.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=_SCRYPT_LEN, maxmem=64 * 1024 * 1024
    )
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_secret(secret: str, stored: str) -> bool:
    """:returns: True when `secret` hashes to `stored` (constant-time comparison); False for any malformed hash."""
    try:
        kind, n, r, p, salt_hex, digest_hex = stored.split("$")
        if kind != "scrypt":
            return False
        expected = bytes.fromhex(digest_hex)
        got = hashlib.scrypt(
            secret.encode(),
            salt=bytes.fromhex(salt_hex),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
            maxmem=64 * 1024 * 1024,
        )
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


# ----------------------------------------------------------------- the key ring


class KeyStore(Protocol):
    """What the key ring and the audit log need from the store (see `indexing.store.qdrant`)."""

    def put_key(self, payload: dict[str, Any]) -> None: ...
    def get_key(self, name: str) -> dict[str, Any] | None: ...
    def key_by_id(self, key_id: str) -> dict[str, Any] | None: ...
    def all_keys(self) -> list[dict[str, Any]]: ...
    def delete_key(self, name: str) -> bool: ...
    def count_keys(self) -> int: ...
    def put_audit(self, payload: dict[str, Any]) -> None: ...
    def audit_entries(
        self, *, limit: int, offset: int, actor: str | None, action: str | None
    ) -> tuple[list[dict[str, Any]], int]: ...


class KeyRing:
    """Creates, lists, revokes and verifies API keys; remembers verified keys briefly.

    :param store: where keys live (`<prefix>_keys`).
    :param admin_key: `ADMIN_API_KEY`, the bootstrap admin key (never stored), or None.
    :param cache_size: verified keys remembered at most.
    :param cache_ttl: seconds a verification is remembered (a revocation in another process takes effect after it;
        in this process at once).
    """

    def __init__(
        self, store: KeyStore, *, admin_key: str | None = None, cache_size: int = 256, cache_ttl: float = 30.0
    ) -> None:
        self.store = store
        self.admin_key = admin_key.strip() if admin_key else None
        self.cache_size = cache_size
        self.cache_ttl = cache_ttl
        self._cache: OrderedDict[bytes, tuple[Principal, float]] = OrderedDict()
        self._lock = threading.Lock()
        self._enabled = bool(self.admin_key)
        self._enabled_checked = 0.0

    def enabled(self) -> bool:
        """Authentication is on: `ADMIN_API_KEY` is set or a key is stored. Once on, it stays on in this process
        (revoking the last key locks the service rather than opening it)."""
        if self._enabled:
            return True
        now = time.monotonic()
        if now - self._enabled_checked >= 5.0:
            self._enabled = self.store.count_keys() > 0
            self._enabled_checked = now
        return self._enabled

    def authenticate(self, presented: str) -> Principal | None:
        """:returns: the principal of a valid key, else None (unknown id, wrong secret, malformed)."""
        presented = presented.strip()
        if not presented:
            return None
        if self.admin_key and hmac.compare_digest(presented.encode(), self.admin_key.encode()):
            return Principal(BOOTSTRAP_ADMIN, Scope.ADMIN)
        parts = split_key(presented)
        if parts is None:
            return None
        fingerprint = hashlib.sha256(presented.encode()).digest()
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(fingerprint)
            if hit is not None and hit[1] > now:
                self._cache.move_to_end(fingerprint)
                return hit[0]
        payload = self.store.key_by_id(parts[0])
        if payload is None:
            return None
        stored = StoredKey.from_payload(payload)
        if not verify_secret(parts[1], stored.secret_hash):
            return None
        principal = Principal(stored.name, stored.scope)
        with self._lock:
            self._cache[fingerprint] = (principal, now + self.cache_ttl)
            self._cache.move_to_end(fingerprint)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return principal

    def create(self, name: str, scope: Scope | str) -> tuple[StoredKey, str]:
        """Create a key. :returns: the stored entry and the full key (shown only now).

        :raises InvalidKeyName: a bad name or scope.
        :raises KeyExists: the name is taken (or is «admin», the bootstrap key's).
        """
        check_name(name)
        scope = scope if isinstance(scope, Scope) else parse_scope(scope)
        if name == BOOTSTRAP_ADMIN:
            raise KeyExists(f"El nombre «{BOOTSTRAP_ADMIN}» está reservado para la clave ADMIN_API_KEY.")
        if self.store.get_key(name) is not None:
            raise KeyExists(f"Ya existe una clave llamada «{name}». Revóquela antes o elija otro nombre.")
        key_id, key = generate_key()
        stored = StoredKey(name, scope, key_id, hash_secret(key.split(".", 1)[1]), utc_now())
        self.store.put_key(stored.to_payload())
        self._enabled = True
        return stored, key

    def list(self) -> list[StoredKey]:
        """Every stored key, by name (the bootstrap key is not stored and not listed)."""
        return sorted((StoredKey.from_payload(p) for p in self.store.all_keys()), key=lambda k: k.name)

    def revoke(self, name: str) -> StoredKey:
        """Delete a key; it stops working at once in this process.

        :raises NotFound: no key has that name.
        """
        payload = self.store.get_key(name)
        if payload is None or not self.store.delete_key(name):
            raise NotFound(f"No hay ninguna clave llamada «{name}».")
        with self._lock:
            for fingerprint in [f for f, (p, _) in self._cache.items() if p.name == name]:
                del self._cache[fingerprint]
        return StoredKey.from_payload(payload)


class AuditLog:
    """The audit trail of writes (`<prefix>_audit`), newest first.

    :param store: where entries live.
    """

    def __init__(self, store: KeyStore) -> None:
        self.store = store

    def record(self, caller: Caller, action: str, **fields: Any) -> AuditEntry:
        """Append one entry for `caller`. :param fields: the other `AuditEntry` fields. :returns: the entry."""
        entry = AuditEntry(
            action=action,
            actor=caller.principal.name,
            at=utc_now("microseconds"),
            client=caller.client,
            request_id=caller.request_id,
            **fields,
        )
        self.store.put_audit(entry.to_payload())
        return entry

    def entries(
        self, *, limit: int = 50, offset: int = 0, actor: str | None = None, action: str | None = None
    ) -> tuple[list[AuditEntry], int]:
        """:returns: one page of entries, newest first, and the number matching the filters."""
        payloads, total = self.store.audit_entries(limit=limit, offset=offset, actor=actor, action=action)
        return [AuditEntry.from_payload(p) for p in payloads], total


class Access:
    """Keys and the audit trail together: the key operations that are also audited (used by `Engine` and by the
    offline `python -m service keys` commands, which open only the store).

    :param store: the store (keys and audit collections open).
    :param admin_key: `ADMIN_API_KEY`, or None.
    """

    def __init__(self, store: KeyStore, *, admin_key: str | None = None) -> None:
        self.keys = KeyRing(store, admin_key=admin_key)
        self.log = AuditLog(store)

    def create_key(self, name: str, scope: Scope | str, caller: Caller) -> tuple[StoredKey, str]:
        """Create a key and audit it. :returns: the stored entry and the key (shown only now).

        :raises InvalidKeyName, KeyExists: see `KeyRing.create`.
        """
        stored, key = self.keys.create(name, scope)
        self.log.record(caller, "key.created", key_name=stored.name)
        return stored, key

    def revoke_key(self, name: str, caller: Caller) -> None:
        """Revoke a key and audit it. :raises NotFound: no key has that name."""
        self.keys.revoke(name)
        self.log.record(caller, "key.revoked", key_name=name)
