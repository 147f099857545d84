# SPDX-License-Identifier: GPL-3.0-or-later
"""Campaign 10: the model-based outbox test (Tests/SatchelUseCasesTests/OutboxModelTests.swift).

Random sequences of finalise / crash / deliver / reject / retry steps against a vault on
disk, the push engine and a fake FHIR server (swift-property-based); after every step the
vault, the server and the model must agree, and at the end every final record is on the
server exactly once or quarantined with a reason. Runs `swift build --build-tests` and
`swift test --skip-build --filter OutboxModelTests` in the repository root (the default
.build scratch path) with SATCHEL_MODEL_RUNS sequences, and parses the summary line.
"""
import os
import re
import subprocess
import time

from campaigns import row
from common import is_crash

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
NAME = "10 model-based outbox"
SUMMARY = re.compile(r"outbox-model: (\d+) sequences, (\d+) operations, (\d+) finalised, (\d+) delivered, "
                     r"(\d+) quarantined, (\d+) crashes, (\d+) violations")
DETAIL = re.compile(r"outbox-model detail: (\d+) crashes mid-sync, (\d+) sync passes, (\d+) records left queued")
# Violations are recorded as issues; these say which ones are a duplicate or a loss.
DUPLICATE = re.compile(r"the server (created|holds) \d+ resources for record")
LOST = re.compile(r"is no longer a final record|neither delivered exactly once nor quarantined")


def _tail(text, n=1500):
    text = text.strip()
    return text if len(text) <= n else "..." + text[-n:]


def _first_issues(text, n=3):
    """The first few recorded violations (the lines after an issue marker), and the seed hint."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if "recorded an issue" in line and i + 1 < len(lines):
            nxt = lines[i + 1].strip().lstrip("↳").strip()
            if nxt and not nxt.startswith("///") and nxt not in found:
                found.append(nxt)
        if len(found) >= n:
            break
    seed = re.search(r"\.fixedSeed\(\"[^\"]+\"\)", text)
    if seed:
        found.append("reproduce with " + seed.group(0))
    return "; ".join(x[:400] for x in found)


def model(work, runs, scratch=None):
    """`scratch`: a --scratch-path for both commands (default: SwiftPM's .build, which CI has built)."""
    t0 = time.monotonic()
    where = ["--scratch-path", scratch] if scratch else []
    log_path = os.path.join(work, "model.log")
    os.makedirs(work, exist_ok=True)
    build = subprocess.run(["swift", "build", "--build-tests"] + where, cwd=ROOT, capture_output=True, text=True)
    if build.returncode != 0:
        with open(log_path, "w") as f:
            f.write(build.stdout + build.stderr)
        return row(NAME, "-", "?", "?", "-", 0, False,
                   notes="swift build --build-tests failed (rc %d), log %s: %s"
                   % (build.returncode, log_path, _tail(build.stdout + build.stderr, 600)))
    env = dict(os.environ, SATCHEL_MODEL_RUNS=str(runs))
    timeout = max(900, 3 * runs)
    try:
        test = subprocess.run(["swift", "test", "--skip-build", "--filter", "OutboxModelTests"] + where, cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=timeout)
        rc, out = test.returncode, test.stdout + test.stderr
    except subprocess.TimeoutExpired as e:
        def text(b):
            return b.decode("utf-8", "replace") if isinstance(b, bytes) else (b or "")
        rc, out = None, text(e.stdout) + text(e.stderr)
        with open(log_path, "w") as f:
            f.write(out)
        return row(NAME, "-", "?", "?", "-", 0, False,
                   notes="swift test did not finish in %d s (%d sequences), log %s" % (timeout, runs, log_path))
    with open(log_path, "w") as f:
        f.write(out)
    seconds = time.monotonic() - t0
    crashed = 1 if (is_crash(rc, out) or "unexpected signal" in out) else 0
    found = SUMMARY.findall(out)
    if not found:
        return row(NAME, "-", "?", "?", "-", crashed, False,
                   notes="no outbox-model summary line (swift test rc %s), log %s: %s" % (rc, log_path, _tail(out, 600)))
    seqs, ops, finalised, delivered, quarantined, sim_crashes, violations = (int(x) for x in found[-1])
    detail = DETAIL.findall(out)
    mid, passes, waiting = (int(x) for x in detail[-1]) if detail else (0, 0, 0)
    duplicated = len(DUPLICATE.findall(out)) if violations else 0
    lost = len(LOST.findall(out)) if violations else 0
    ok = rc == 0 and violations == 0 and seqs >= runs and crashed == 0
    once = " exactly once" if violations == 0 else ""
    notes = ("%d sequences, %d steps: %d records finalised, %d delivered%s, %d quarantined with a reason, "
             "%d left queued behind a quarantined Patient (documented: they wait for it); %d simulated crashes "
             "(%d mid-sync), %d sync passes; %d violations; swift test rc %s, %.0f s"
             % (seqs, ops, finalised, delivered, once, quarantined, waiting, sim_crashes, mid, passes, violations, rc,
                seconds))
    if not ok:
        if seqs < runs:
            notes += "; only %d of %d sequences ran" % (seqs, runs)
        issues = _first_issues(out)
        notes += "; " + (issues or _tail(out, 600)) + "; log " + log_path
    return row(NAME, "%d sequences, %d ops" % (seqs, ops), lost, duplicated, "-", crashed, ok, notes)
