"""The ingest lock: one ingest per data directory across processes, re-entrant within a thread."""

import subprocess
import sys
import textwrap

import pytest

from assistant.errors import IngestBusy
from ingest.lock import ingest_lock

HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ingest.lock import ingest_lock
    with ingest_lock(Path(sys.argv[1])):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def _hold_in_other_process(data_dir, seconds):
    p = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def test_a_second_process_is_refused_with_a_clear_error_then_waits_its_turn(tmp_path):
    holder = _hold_in_other_process(tmp_path, 2)
    try:
        with pytest.raises(IngestBusy, match="another ingest holds"):
            with ingest_lock(tmp_path):
                pass
        with ingest_lock(tmp_path, wait=30):  # returns once the other process lets go
            assert holder.wait(timeout=30) == 0
    finally:
        holder.kill()
        holder.wait()


def test_reentrant_within_a_thread(tmp_path):
    with ingest_lock(tmp_path):
        with ingest_lock(tmp_path):
            pass
        with ingest_lock(tmp_path):
            pass
    holder = _hold_in_other_process(tmp_path, 0)  # released: another process can take it
    holder.wait()
    assert holder.returncode == 0


def test_ingester_holds_the_lock(components, tmp_path):
    holder = _hold_in_other_process(components.settings.data_dir, 5)
    try:
        with pytest.raises(IngestBusy):
            components.ingester().run([tmp_path])
    finally:
        holder.kill()
        holder.wait()
