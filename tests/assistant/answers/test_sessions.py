"""Session stores: one contract for SQLite and Redis (a real redis-server on loopback), threads, processes, TTL."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time

import pytest

from assistant.answers.sessions import RedisSessionStore, SQLiteSessionStore, Turn, sessions_from_settings
from assistant.errors import NotFound
from tests.conftest import REPO
from tests.redis_server import redis_server, redis_url  # noqa: F401 (fixtures)

CITE = {"source": "行政法规/职工带薪年休假条例(2007-12-14).md", "title": "职工带薪年休假条例", "article": "第三条",
        "version_date": "2007-12-14"}


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        s = SQLiteSessionStore(tmp_path / "sessions.sqlite3", ttl=3600)
    else:
        s = RedisSessionStore(request.getfixturevalue("redis_url"), ttl=3600)
    return s


def test_contract_turns_come_back_oldest_first_with_their_fields(store):
    sid = store.create()
    assert store.exists(sid) and store.history(sid) == []
    store.append(sid, Turn("user", "职工累计工作满12年，年休假几天？", "职工累计工作满12年，年休假几天？"))
    store.append(sid, Turn("assistant", "年休假10天[1]", "职工累计工作满12年，年休假几天？", [CITE]))
    store.append(sid, Turn("user", "那满20年的呢？", "职工累计工作满12年 那满20年的呢？"))
    turns = store.history(sid)
    assert [t.role for t in turns] == ["user", "assistant", "user"]
    assert turns[1].citations == [CITE] and turns[1].content == "年休假10天[1]"
    assert turns[2].query == "职工累计工作满12年 那满20年的呢？" and turns[0].created_at <= turns[2].created_at
    assert [t.content for t in store.history(sid, 2)] == ["年休假10天[1]", "那满20年的呢？"]  # the last two


def test_contract_unknown_and_deleted_sessions_are_not_found(store):
    assert not store.exists("no-such-session")
    for call in (lambda: store.history("no-such-session"), lambda: store.delete("no-such-session"),
                 lambda: store.append("no-such-session", Turn("user", "问"))):
        with pytest.raises(NotFound, match="no-such-session"):
            call()
    sid = store.create()
    store.append(sid, Turn("user", "问"))
    store.delete(sid)
    assert not store.exists(sid)
    with pytest.raises(NotFound):
        store.history(sid)


def test_contract_sessions_are_apart(store):
    a, b = store.create(), store.create()
    assert a != b
    store.append(a, Turn("user", "甲"))
    store.append(b, Turn("user", "乙"))
    assert [t.content for t in store.history(a)] == ["甲"] and [t.content for t in store.history(b)] == ["乙"]


def test_history_defaults_to_the_configured_number_of_turns(tmp_path):
    store = SQLiteSessionStore(tmp_path / "s.sqlite3", turns=3)
    sid = store.create()
    for i in range(5):
        store.append(sid, Turn("user", f"问{i}"))
    assert [t.content for t in store.history(sid)] == ["问2", "问3", "问4"]


def test_sqlite_store_is_a_real_wal_file_read_by_a_new_instance(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    sid = SQLiteSessionStore(path).create()
    SQLiteSessionStore(path).append(sid, Turn("user", "问"))
    assert [t.content for t in SQLiteSessionStore(path).history(sid)] == ["问"]
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sqlite_store_is_safe_across_threads(tmp_path):
    store = SQLiteSessionStore(tmp_path / "sessions.sqlite3")
    shared = store.create()
    own: dict[int, str] = {}
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            own[n] = store.create()
            for i in range(15):
                store.append(shared, Turn("user", f"{n}-{i}"))
                store.append(own[n], Turn("user", f"{n}-{i}"))
        except BaseException as e:  # noqa: BLE001 — reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(store.history(shared, 1000)) == 6 * 15
    for n, sid in own.items():
        assert [t.content for t in store.history(sid, 100)] == [f"{n}-{i}" for i in range(15)]


_WORKER = """
import sys
from assistant.answers.sessions import SQLiteSessionStore, Turn
store = SQLiteSessionStore(sys.argv[1])
for i in range(int(sys.argv[3])):
    store.append(sys.argv[2], Turn("user", sys.argv[4] + str(i)))
"""


def test_sqlite_store_is_shared_by_several_processes(tmp_path):
    """Two worker processes (as with uvicorn --workers 2) append to one conversation at once; nothing is lost."""
    path = tmp_path / "sessions.sqlite3"
    sid = SQLiteSessionStore(path).create()
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(path), sid, "40", tag], cwd=REPO,
                              stderr=subprocess.PIPE) for tag in ("a", "b")]
    for p in procs:
        _, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr.decode()
    contents = [t.content for t in SQLiteSessionStore(path).history(sid, 1000)]
    assert sorted(contents) == sorted([f"a{i}" for i in range(40)] + [f"b{i}" for i in range(40)])
    assert [c for c in contents if c[0] == "a"] == [f"a{i}" for i in range(40)]  # each writer's order kept


def test_sqlite_expired_sessions_are_gone_and_purged(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    store = SQLiteSessionStore(path, ttl=1)
    old = store.create()
    store.append(old, Turn("user", "问"))
    time.sleep(1.3)
    assert not store.exists(old)
    with pytest.raises(NotFound, match="expired"):
        store.append(old, Turn("user", "再问"))
    fresh = store.create()
    assert store.purge() == 1
    db = sqlite3.connect(path)
    assert db.execute("SELECT id FROM sessions").fetchall() == [(fresh,)]
    assert db.execute("SELECT count(*) FROM turns").fetchone()[0] == 0  # the expired session's turns went too


def test_sqlite_append_keeps_a_session_alive(tmp_path):
    store = SQLiteSessionStore(tmp_path / "sessions.sqlite3", ttl=2)
    sid = store.create()
    time.sleep(1.2)
    store.append(sid, Turn("user", "问"))  # renews the TTL
    time.sleep(1.2)
    assert store.exists(sid)


def test_redis_sessions_expire_by_themselves(redis_url):
    store = RedisSessionStore(redis_url, ttl=1)
    sid = store.create()
    store.append(sid, Turn("user", "问"))
    time.sleep(2.2)
    assert not store.exists(sid)
    with pytest.raises(NotFound):
        store.append(sid, Turn("user", "再问"))
    import redis

    assert redis.Redis.from_url(redis_url).keys("huiqi:session:*") == []  # no orphan turn list left


def test_sessions_from_settings_picks_sqlite_or_redis(settings, redis_url):
    sqlite_store = sessions_from_settings(settings)
    assert isinstance(sqlite_store, SQLiteSessionStore)
    assert sqlite_store.path == settings.data_dir / "sessions.sqlite3" and sqlite_store.turns == settings.session_turns
    redis_store = sessions_from_settings(settings.model_copy(update={"redis_url": redis_url, "session_ttl": 120}))
    assert isinstance(redis_store, RedisSessionStore) and redis_store.ttl == 120
    assert redis_store.exists(redis_store.create())
