"""API key material, scopes, the key ring and the audit log (on the real embedded Qdrant, no model)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexing.errors import InvalidKeyName, KeyExists, NotFound
from indexing.keys import (
    LOCAL,
    Access,
    AuditEntry,
    AuditLog,
    Caller,
    KeyRing,
    Principal,
    Scope,
    check_name,
    generate_key,
    hash_secret,
    parse_scope,
    split_key,
    verify_secret,
)
from indexing.settings import Settings
from indexing.store import Store, open_store

KEY_RE = re.compile(r"^[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$")
ADMIN_KEY = "clave-de-arranque-0123456789"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = open_store(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    s.open_access_collections()
    yield s
    s.close()


class TestScopes:
    @pytest.mark.parametrize(
        ("have", "needed", "allowed"),
        [
            (Scope.READ, Scope.READ, True),
            (Scope.READ, Scope.WRITE, False),
            (Scope.READ, Scope.ADMIN, False),
            (Scope.WRITE, Scope.READ, True),
            (Scope.WRITE, Scope.WRITE, True),
            (Scope.WRITE, Scope.ADMIN, False),
            (Scope.ADMIN, Scope.READ, True),
            (Scope.ADMIN, Scope.WRITE, True),
            (Scope.ADMIN, Scope.ADMIN, True),
        ],
    )
    def test_each_scope_includes_the_lower_ones(self, have: Scope, needed: Scope, allowed: bool) -> None:
        assert have.allows(needed) is allowed

    def test_who_may_touch_a_record(self) -> None:
        assert Principal("apci", Scope.WRITE).can_touch("apci") is True
        assert Principal("apci", Scope.WRITE).can_touch("cancilleria") is False
        assert Principal("apci", Scope.READ).can_touch("apci") is False
        assert Principal("ops", Scope.ADMIN).can_touch("apci") is True
        assert Principal("local", Scope.ADMIN) == LOCAL

    def test_parse_scope(self) -> None:
        assert parse_scope("write") is Scope.WRITE
        with pytest.raises(InvalidKeyName) as err:
            parse_scope("root")
        assert err.value.detail == "Ámbito no válido: «root». Use read, write o admin."


class TestKeyMaterial:
    def test_generated_keys_are_id_dot_secret_and_unique(self) -> None:
        (id1, k1), (id2, k2) = generate_key(), generate_key()
        assert KEY_RE.match(k1) and KEY_RE.match(k2)
        assert k1.startswith(id1 + ".") and k2.startswith(id2 + ".")
        assert k1 != k2
        assert split_key(k1) == (id1, k1.split(".", 1)[1])

    @pytest.mark.parametrize("bad", ["", "abc", "0123456789abcdef", "0123456789abcdeg.secretosecretosecreto", "x.y"])
    def test_split_rejects_malformed_keys(self, bad: str) -> None:
        assert split_key(bad) is None

    def test_hash_is_salted_scrypt_with_its_parameters(self) -> None:
        salt = bytes(range(16))
        h = hash_secret("secreto", salt=salt)
        assert h.startswith("scrypt$16384$8$1$000102030405060708090a0b0c0d0e0f$")
        assert len(h.rsplit("$", 1)[1]) == 64
        assert hash_secret("secreto", salt=salt) == h
        assert hash_secret("secreto") != hash_secret("secreto")  # a fresh salt each time

    def test_verify(self) -> None:
        h = hash_secret("secreto")
        assert verify_secret("secreto", h) is True
        assert verify_secret("secretO", h) is False
        assert verify_secret("secreto", "argon2$x") is False
        assert verify_secret("secreto", "scrypt$16384$8$1$zz$00") is False
        assert verify_secret("secreto", "") is False

    @pytest.mark.parametrize("good", ["a", "portal-apci", "ops.2026_b", "x" * 64])
    def test_valid_names(self, good: str) -> None:
        assert check_name(good) == good

    @pytest.mark.parametrize("bad", ["", "Portal", "con espacio", "x" * 65, "ñandú", "a/b"])
    def test_invalid_names(self, bad: str) -> None:
        with pytest.raises(InvalidKeyName):
            check_name(bad)


class TestKeyRing:
    def test_create_stores_only_a_hash_and_authenticates(self, store: Store) -> None:
        ring = KeyRing(store)
        assert ring.enabled() is False
        stored, key = ring.create("portal-apci", "write")
        assert KEY_RE.match(key)
        assert (stored.name, stored.scope, stored.key_id) == ("portal-apci", Scope.WRITE, key.split(".")[0])
        payload = store.get_key("portal-apci")
        assert payload is not None
        assert set(payload) == {"name", "scope", "key_id", "secret_hash", "created_at"}
        assert key.split(".")[1] not in str(payload)
        assert ring.enabled() is True
        assert ring.authenticate(key) == Principal("portal-apci", Scope.WRITE)
        assert ring.authenticate(f"  {key}  ") == Principal("portal-apci", Scope.WRITE)
        assert ring.authenticate(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
        assert ring.authenticate("0123456789abcdef." + key.split(".")[1]) is None
        assert ring.authenticate("") is None

    def test_a_second_ring_on_the_same_store_sees_the_key(self, store: Store) -> None:
        _, key = KeyRing(store).create("lector", Scope.READ)
        other = KeyRing(store)
        assert other.enabled() is True
        assert other.authenticate(key) == Principal("lector", Scope.READ)

    def test_bootstrap_admin_key(self, store: Store) -> None:
        ring = KeyRing(store, admin_key=ADMIN_KEY)
        assert ring.enabled() is True
        assert ring.authenticate(ADMIN_KEY) == Principal("admin", Scope.ADMIN)
        assert ring.authenticate(ADMIN_KEY + "x") is None
        with pytest.raises(KeyExists) as err:
            ring.create("admin", "admin")
        assert err.value.detail == "El nombre «admin» está reservado para la clave ADMIN_API_KEY."

    def test_taken_name(self, store: Store) -> None:
        ring = KeyRing(store)
        ring.create("portal", "read")
        with pytest.raises(KeyExists) as err:
            ring.create("portal", "write")
        assert err.value.code == "key_exists"
        assert [(k.name, k.scope) for k in ring.list()] == [("portal", Scope.READ)]

    def test_revoked_key_stops_at_once_despite_the_cache(self, store: Store) -> None:
        ring = KeyRing(store, cache_ttl=3600)
        _, key = ring.create("portal", "write")
        assert ring.authenticate(key) is not None  # now cached
        ring.revoke("portal")
        assert ring.authenticate(key) is None
        assert ring.list() == []
        with pytest.raises(NotFound):
            ring.revoke("portal")
        assert ring.enabled() is True  # once on, it stays on: revoking the last key does not open the service

    def test_cache_is_bounded(self, store: Store) -> None:
        ring = KeyRing(store, cache_size=2)
        keys = [ring.create(f"k{i}", "read")[1] for i in range(3)]
        for key in keys:
            assert ring.authenticate(key) is not None
        assert len(ring._cache) == 2

    def test_a_fresh_directory_has_no_keys(self, tmp_path: Path) -> None:
        s = open_store(Settings(data_dir=tmp_path / "nuevo", _env_file=None))  # type: ignore[call-arg]
        try:
            assert (s.count_keys(), s.all_keys(), s.get_key("x"), s.key_by_id("0" * 16)) == (0, [], None, None)
            assert s.audit_entries(limit=10, offset=0) == ([], 0)
        finally:
            s.close()


class TestAuditLog:
    def test_entries_newest_first_with_filters_and_pages(self, store: Store) -> None:
        log = AuditLog(store)
        apci = Caller(Principal("apci", Scope.WRITE), client="10.0.0.7", request_id="req-1")
        ops = Caller(Principal("ops", Scope.ADMIN), client="10.0.0.9")
        first = log.record(apci, "document.indexed", document_id="d1", filename="acta.pdf")
        second = log.record(apci, "document.replaced", document_id="d2", filename="acta.pdf", replaced=("d1",))
        third = log.record(ops, "document.deleted", document_id="d2", filename="acta.pdf")
        entries, total = log.entries()
        assert total == 3
        assert [e.id for e in entries] == [third.id, second.id, first.id]
        assert entries[1] == AuditEntry(
            action="document.replaced",
            actor="apci",
            at=second.at,
            document_id="d2",
            filename="acta.pdf",
            replaced=("d1",),
            client="10.0.0.7",
            request_id="req-1",
            id=second.id,
        )
        at = dt.datetime.fromisoformat(entries[0].at)
        assert at.tzinfo == dt.UTC
        assert abs((dt.datetime.now(dt.UTC) - at).total_seconds()) < 600
        assert [e.id for e in log.entries(actor="apci")[0]] == [second.id, first.id]
        assert log.entries(action="document.deleted") == ([third], 1)
        assert log.entries(limit=1, offset=1) == ([second], 3)
        assert log.entries(actor="apci", action="document.deleted") == ([], 0)

    def test_access_audits_key_operations(self, store: Store) -> None:
        access = Access(store)
        caller = Caller(LOCAL, client="cli")
        access.create_key("portal", "read", caller)
        access.revoke_key("portal", caller)
        entries, _ = access.log.entries()
        assert [(e.action, e.actor, e.key_name, e.client, e.document_id) for e in entries] == [
            ("key.revoked", "local", "portal", "cli", None),
            ("key.created", "local", "portal", "cli", None),
        ]
