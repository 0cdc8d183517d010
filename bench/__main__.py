"""`python -m bench` (make bench): every benchmark on SQLite (a temp file) and on PostgreSQL
(BENCH_PG_URL, set by `make bench`), each in its own process; prints each summary and writes all the
JSON results to var/bench-results.json.

    python -m bench [import_roster|ranking|marks|similar|proposals|views|honours_roster|honours_quota|learning_answer|
                     learning_leaderboard|learning_load|stats_dashboard|care_dedup|care_cycle|rights_rates ...]

BENCH_ROWS, BENCH_SCALE, BENCH_PEOPLE, BENCH_N (and each module's own variables) tune them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

# (module, database, extra environment): the views at 2,000,000 people on PostgreSQL, at the demo scale
# (50,000) on SQLite.
RUNS = [
    ("import_roster", "sqlite", {}),
    ("import_roster", "postgresql", {}),
    ("import_registrations", "sqlite", {}),
    ("import_registrations", "postgresql", {}),
    ("ranking", "sqlite", {}),
    ("ranking", "postgresql", {}),
    ("marks", "sqlite", {}),
    ("marks", "postgresql", {}),
    ("similar", "sqlite", {}),
    ("similar", "postgresql", {}),
    ("proposals", "sqlite", {}),
    ("proposals", "postgresql", {}),
    ("review_assignment", "sqlite", {}),
    ("honours_roster", "sqlite", {}),
    ("honours_roster", "postgresql", {}),
    ("honours_quota", "sqlite", {}),
    ("honours_quota", "postgresql", {}),
    ("learning_answer", "sqlite", {}),
    ("learning_answer", "postgresql", {}),
    ("learning_leaderboard", "sqlite", {}),
    ("learning_leaderboard", "postgresql", {}),
    ("learning_load", "postgresql", {}),
    ("stats_dashboard", "sqlite", {}),
    ("stats_dashboard", "postgresql", {}),
    ("views", "sqlite", {"BENCH_SCALE": "demo"}),
    ("views", "postgresql", {"BENCH_SCALE": "province"}),
    ("care_dedup", "sqlite", {}),
    ("care_dedup", "postgresql", {}),
    ("care_cycle", "sqlite", {}),
    ("care_cycle", "postgresql", {}),
    ("rights_rates", "sqlite", {}),
    ("rights_rates", "postgresql", {}),
]


def main() -> int:
    wanted = set(sys.argv[1:])
    results, failed = [], []
    print(f"Gongjiang benchmarks on {os.cpu_count()} cores (load average {os.getloadavg()[0]:.1f})", flush=True)
    for module, db, extra in RUNS:
        if wanted and module not in wanted:
            continue
        if db == "postgresql" and not os.environ.get("BENCH_PG_URL"):
            print(f"skipped {module}[{db}]: BENCH_PG_URL is not set (make bench sets it)", flush=True)
            continue
        env = {**os.environ, **{k: v for k, v in extra.items() if k not in os.environ}}
        env.setdefault("BENCH_CACHE_DIR", str(Path("var").absolute()))
        Path(env["BENCH_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", f"bench.{module}", db], env=env, capture_output=True,
                              text=True)
        for line in proc.stdout.splitlines():
            if line.startswith("BENCH_JSON "):
                results.append(json.loads(line[len("BENCH_JSON "):]))
            else:
                print(line, flush=True)
        if proc.returncode:
            failed.append(f"{module}[{db}]")
            print(proc.stderr[-3000:], file=sys.stderr)
        print(f"  ({module}[{db}] took {time.perf_counter() - t:.0f} s)", flush=True)
    out = Path("var") / "bench-results.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2, default=str))
    print(f"Results: {out}" + (f"; FAILED: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
