"""Run one ingest that SIGKILLs itself right after a chosen step (a helper the fault tests run as a subprocess).

``python -m tests.faults.killed_ingest SRC --kill-after STEP:N`` ingests SRC with the settings of the
environment (HUIQI_DATA_DIR, HUIQI_CACHE_DIR) and kills its own process (``kill -9``: no cleanup, no
``finally``) when STEP has completed N times. Without ``--kill-after`` it runs to the end and prints its
report as JSON. The steps are the points where a crash could tear a document in half.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import signal
import sys
from pathlib import Path

#: step → (module, class, method) whose completion is counted.
STEPS = {
    # the new version's vectors are in Chroma; the manifest still lists the old version
    "vectors-written": ("assistant.store.vector", "VectorStore", "upsert"),
    # the manifest switched to the new version (the commit point); the old vectors are still in Chroma
    "manifest-switched": ("assistant.store.manifest", "Manifest", "replace_file"),
    # the old version's vectors are gone
    "stale-deleted": ("assistant.store.vector", "VectorStore", "delete"),
    # a version's status (in force / superseded) changed in the manifest, not yet in Chroma
    "status-switched": ("assistant.store.manifest", "Manifest", "set_status"),
    # the keyword index of the new generation is on disk
    "keyword-published": ("assistant.store.keyword", "KeywordIndex", "save"),
}


def arm(step: str, after: int) -> None:
    """Patch the step's method so that its ``after``-th effective completion kills this process."""
    module, cls_name, method = STEPS[step]
    cls = getattr(importlib.import_module(module), cls_name)
    original = getattr(cls, method)
    done = 0

    def counted(self, *args, **kwargs):
        nonlocal done
        result = original(self, *args, **kwargs)
        if step == "status-switched" and not result:  # a no-op (status unchanged) is not the step
            return result
        if step == "stale-deleted" and not (args[0] if args else kwargs.get("ids")):
            return result
        done += 1
        if done >= after:
            os.kill(os.getpid(), signal.SIGKILL)
        return result

    setattr(cls, method, counted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--kill-after", help="STEP:N, one of " + ", ".join(STEPS))
    args = parser.parse_args(argv)
    if args.kill_after:
        step, _, n = args.kill_after.partition(":")
        arm(step, int(n or 1))

    from assistant.components import Components
    from assistant.settings import Settings

    report = Components(Settings()).ingester().run(args.paths)
    print(json.dumps({"counts": {a: report.count(a) for a in ("added", "updated", "unchanged", "removed", "failed")},
                      "outcomes": [o.__dict__ for o in report.outcomes]}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
