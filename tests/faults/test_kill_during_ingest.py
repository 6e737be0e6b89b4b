"""kill -9 during an ingest, at every step where a document could be torn, then restart: nothing is lost.

Real law files from ../shared are ingested (v1), then edited (v2: every file changed, one newer version of a
law added, so statuses change too) and re-ingested by processes that are SIGKILLed at each dangerous step in
turn, each run resuming what the previous one left. After every kill the index must be consistent: each
document of v1 is still there, wholly v1 or wholly v2 (chunk ids carry the file hash), and every chunk the
manifest lists has its vector. A last run completes; it re-does only what was not committed, leaves no
orphan vector, and every document answers a search for its v2 text.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from assistant.components import Components
from assistant.settings import Settings
from tests.conftest import LAWS, REPO
from tests.faults.index_state import IndexState

pytestmark = [pytest.mark.slow, pytest.mark.server]

#: Real laws used by path (copied into the test's folder at run time, never into the project).
V1_LAWS = ["社会法/归侨侨眷权益保护法(2009-08-27).md", "社会法/公益事业捐赠法(1999-06-28).md",
           "社会法/反家庭暴力法(2015-12-27).md", "社会法/红十字会法(2017-02-24).md",
           "社会法/妇女权益保障法(2018-10-26).md"]
#: Added in v2: a newer version of a v1 law, which supersedes it (a status change at ingest).
NEWER = "社会法/妇女权益保障法(2022-10-30).md"
#: (step, after how many completions) — in order; each run resumes the one before.
KILL_POINTS = [("vectors-written", 2), ("manifest-switched", 1), ("stale-deleted", 1), ("status-switched", 1),
               ("keyword-published", 1)]
TIMEOUT = 600


def _marker(name: str) -> str:
    return f"第九百九十九条 本文件修订测试标记{zlib.crc32(name.encode()) % 10_000:04d}号：申请人应当同时提交电子版材料。"


def _env(data_dir: Path, cache_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUIQI_")}
    env.update(HUIQI_DATA_DIR=str(data_dir), HUIQI_CACHE_DIR=str(cache_dir), PYTHONPATH=str(REPO),
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    return env


def _ingest(src: Path, env: dict, cwd: Path, kill_after: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "tests.faults.killed_ingest", str(src)]
    if kill_after:
        cmd += ["--kill-after", kill_after]
    return subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT)


def _state(data_dir: Path, env: dict, cwd: Path) -> IndexState:
    out = subprocess.run([sys.executable, "-m", "tests.faults.index_state", str(data_dir), "huiqi"], env=env,
                         cwd=cwd, capture_output=True, text=True, timeout=120, check=True)
    return IndexState(**json.loads(out.stdout))


def _assert_consistent(state: IndexState, versions: dict[str, set[str]]) -> None:
    """Every v1 document is there, wholly one version; every live chunk has its vector and its status."""
    for source, hashes in versions.items():
        if source == Path(NEWER).name and source not in state.files:
            continue  # not reached yet: a new file is absent or whole, never half
        assert source in state.files, f"{source} was lost"
        entry = state.files[source]
        assert entry["hash"] in hashes, f"{source} holds an unknown version"
        ids = state.live_ids(source)
        assert len(ids) == entry["n_chunks"] > 0
        assert all(entry["hash"][:10] in i.split(".") for i in ids), f"{source} mixes two versions"
    missing = set(state.chunks) - set(state.vectors)
    assert not missing, f"{len(missing)} live chunks have no vector, e.g. {sorted(missing)[:3]}"


def _sha(p: Path) -> str:
    import hashlib

    return hashlib.sha256(p.read_bytes()).hexdigest()


def _kill_externally_mid_file(src: Path, env: dict, cwd: Path, data_dir: Path) -> int:
    """Start an ingest and SIGKILL it from outside once it has committed one file: mid-way, unarranged."""
    before = _generation(data_dir)
    proc = subprocess.Popen([sys.executable, "-m", "tests.faults.killed_ingest", str(src)], env=env, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + TIMEOUT
    try:
        while proc.poll() is None and time.monotonic() < deadline and _generation(data_dir) == before:
            time.sleep(0.05)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
    return proc.returncode


def _generation(data_dir: Path) -> int:
    try:
        with sqlite3.connect(data_dir / "manifest.sqlite3", timeout=30) as db:
            row = db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0]) if row else 0


def test_kill_9_at_every_step_loses_nothing_and_the_ingest_resumes(tmp_path, cache_dir, embedder):
    if not all((LAWS / p).is_file() for p in V1_LAWS + [NEWER]):
        pytest.skip(f"the shared law corpus is not at {LAWS}")
    src, data_dir = tmp_path / "src", tmp_path / "data"
    src.mkdir()
    for rel in V1_LAWS:
        shutil.copy(LAWS / rel, src / Path(rel).name)
    env = _env(data_dir, cache_dir)

    first = _ingest(src, env, tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    assert json.loads(first.stdout)["counts"]["added"] == len(V1_LAWS)
    versions = {Path(rel).name: {_sha(src / Path(rel).name)} for rel in V1_LAWS}

    # v2: every file gains an article; a newer version of one law arrives
    for rel in V1_LAWS:
        p = src / Path(rel).name
        p.write_text(p.read_text(encoding="utf-8").rstrip() + "\n\n" + _marker(p.name) + "\n", encoding="utf-8")
        versions[p.name].add(_sha(p))
    shutil.copy(LAWS / NEWER, src / Path(NEWER).name)
    versions[Path(NEWER).name] = {_sha(src / Path(NEWER).name)}

    for step, n in KILL_POINTS:
        run = _ingest(src, env, tmp_path, f"{step}:{n}")
        assert run.returncode == -signal.SIGKILL, f"{step}:{n} was never reached: {run.stdout[-500:]}"
        _assert_consistent(_state(data_dir, env, tmp_path), versions)

    # an unarranged kill from outside, mid-file, while a third version of one file is ingested
    third = src / Path(V1_LAWS[0]).name
    third.write_text(third.read_text(encoding="utf-8") + "\n第一千条 本条为第三版测试内容。\n", encoding="utf-8")
    versions[third.name].add(_sha(third))
    assert _kill_externally_mid_file(src, env, tmp_path, data_dir) == -signal.SIGKILL
    _assert_consistent(_state(data_dir, env, tmp_path), versions)

    last = _ingest(src, env, tmp_path)
    assert last.returncode == 0, last.stderr[-2000:]
    report = json.loads(last.stdout)
    assert report["counts"]["failed"] == 0
    assert report["counts"]["unchanged"] >= 1, "the resumed ingest re-did files that were already committed"
    state = _state(data_dir, env, tmp_path)
    _assert_consistent(state, versions)
    assert set(state.files) == set(versions)
    assert {s: f["hash"] for s, f in state.files.items()} == {p.name: _sha(p) for p in src.iterdir()}
    assert set(state.vectors) == set(state.chunks), "orphan vectors were left behind"
    assert state.sentences and not state.orphan_sentences(), "orphan sentence vectors were left behind"
    assert not state.stale_sentences()

    comps = Components(Settings(data_dir=data_dir, cache_dir=cache_dir, _env_file=None), embedder=embedder)
    for rel in V1_LAWS[:4]:  # the fifth is superseded by NEWER: not in an in-force search
        name = Path(rel).name
        hits = comps.retriever.run(_marker(name).split(" ", 1)[1], k=3, filters=None).hits
        assert any(h.chunk.source == name and "第九百九十九条" in h.chunk.article for h in hits), name


def test_a_kill_between_the_two_status_writes_leaves_no_stale_status(tmp_path, cache_dir):
    """Dense search filters on Chroma's status: a stale 'superseded' there would hide a law in force."""
    if not (LAWS / NEWER).is_file():
        pytest.skip(f"the shared law corpus is not at {LAWS}")
    src, data_dir = tmp_path / "src", tmp_path / "data"
    src.mkdir()
    shutil.copy(LAWS / V1_LAWS[-1], src)
    env = _env(data_dir, cache_dir)
    assert _ingest(src, env, tmp_path).returncode == 0
    shutil.copy(LAWS / NEWER, src)  # supersedes the first: a status change
    assert _ingest(src, env, tmp_path, "status-switched:1").returncode == -signal.SIGKILL
    assert _ingest(src, env, tmp_path).returncode == 0
    state = _state(data_dir, env, tmp_path)
    drift = {i for i, c in state.chunks.items() if state.vectors[i]["status"] != c["status"]}
    assert not drift, f"{len(drift)} vectors in Chroma carry another status than the manifest"
    assert state.sentences and not state.stale_sentences(), "sentence vectors carry another status than their chunk"
