# SPDX-License-Identifier: GPL-3.0-or-later
"""Campaign 9: libFuzzer over Satchel's parsers (fuzz/README.md). Standard library only.

fuzz(work, seconds, targets=None) builds the sanitizer fuzzers (fuzz/run build: the
package in fuzz/Package.swift, which depends on Satchel by path), replays the checked-in
corpora (fuzz/run replay), then fuzzes every target for `seconds`
(fuzz/run fuzz), two targets at a time: the machine has two cores and each libFuzzer
process uses one, so the wall time is about seconds x ceil(targets / 2). Crash, timeout,
leak and OOM files go to WORK/artifacts, the working corpora to WORK/corpora (merge them
into fuzz/corpus with `fuzz/run merge WORK/corpora`). Every libFuzzer process runs with
SWIFT_BACKTRACE=enable=no, which fuzz/run sets (a crash would otherwise wait minutes for
Swift's backtracer before libFuzzer could record it).

Run alone: python3 bench/reliability.d/fuzzing.py SECONDS [TARGET...]
"""
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from campaigns import row, log  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
RUN = os.path.join(ROOT, "fuzz", "run")
NAME = "9 libFuzzer fuzzing"
ALL = ["FuzzLineParser", "FuzzDateParser", "FuzzFHIRResponse", "FuzzConfig"]
JOBS = 2


def _run(args, env, timeout, logfile):
    """Runs fuzz/run with `args`; returns (exit status, output). Output also goes to logfile."""
    try:
        p = subprocess.run([RUN] + args, cwd=ROOT, env=env, capture_output=True, text=True,
                           errors="replace", timeout=timeout)
        rc, out = p.returncode, p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        rc, out = -1, out + "\nfuzz/run %s: timed out after %d s" % (args[0], timeout)
    with open(logfile, "a") as f:
        f.write("$ fuzz/run %s\n%s\n(exit %d)\n" % (" ".join(args), out, rc))
    return rc, out


def _results(out):
    """The RESULT lines of `fuzz/run fuzz`, as {target: {field: value}}."""
    found = {}
    for line in out.splitlines():
        if not line.startswith("RESULT "):
            continue
        fields = dict(m.groups() for m in re.finditer(r"(\w+)=(\S+)", line))
        found[fields.get("target", "?")] = fields
    return found


def _int(fields, key):
    try:
        return int(fields.get(key, "0"))
    except ValueError:
        return 0


def fuzz(work, seconds, targets=None):
    targets = list(targets or ALL)
    unknown = [t for t in targets if t not in ALL]
    if unknown:
        raise ValueError("unknown fuzz target(s): %s" % ", ".join(unknown))
    os.makedirs(work, exist_ok=True)
    logfile = os.path.join(work, "fuzz.log")
    artifacts = os.path.join(work, "artifacts")
    corpora = os.path.join(work, "corpora")
    env = dict(os.environ, FUZZ_JOBS=str(JOBS), FUZZ_ARTIFACTS=artifacts, FUZZ_WORK=corpora)
    runs = "%d targets × %d s" % (len(targets), seconds)

    t0 = time.monotonic()
    rc, out = _run(["build"] + targets, env, 3600, logfile)
    log("fuzz/run build: exit %d in %.0f s" % (rc, time.monotonic() - t0))
    if rc != 0:
        return row(NAME, runs, crashes="?", ok=False, notes="sanitizer build of fuzz/Package.swift failed (see %s)" % logfile)

    rc, out = _run(["replay"] + targets, env, 1800, logfile)
    replay_failed = [t for t in targets if re.search(r"^replay %s: FAILED" % t, out, re.M)]
    log("fuzz/run replay: exit %d%s" % (rc, (", failed: " + ", ".join(replay_failed)) if replay_failed else ""))
    if rc != 0:
        return row(NAME, runs + ", replay only", crashes=len(replay_failed) or 1, ok=False,
                   notes="the checked-in corpus crashes %s (see %s)" % (", ".join(replay_failed) or "?", logfile))

    waves = (len(targets) + JOBS - 1) // JOBS
    rc, out = _run(["fuzz", str(seconds)] + targets, env, waves * (seconds + 600) + 300, logfile)
    results = _results(out)
    crashes, execs, notes = 0, 0, []
    for t in targets:
        r = results.get(t)
        if r is None:
            crashes += 1
            notes.append("%s: no result" % t)
            continue
        c = _int(r, "crashes")
        crashes += c
        execs += _int(r, "execs")
        notes.append("%s %s execs (%s/s), cov %s, corpus %s, crashes %d"
                     % (t, r.get("execs", "?"), r.get("execs_per_sec", "?"), r.get("cov", "?"), r.get("corpus", "?"), c))
        log(notes[-1])
    ok = rc == 0 and crashes == 0
    text = "; ".join(notes)
    if not ok:
        text += "; artifacts in %s, log %s" % (artifacts, logfile)
    return row(NAME, "%s, %d execs" % (runs, execs), crashes=crashes, ok=ok, notes=text)


if __name__ == "__main__":
    import tempfile
    if len(sys.argv) < 2 or not sys.argv[1].isdigit():
        sys.exit("usage: fuzzing.py SECONDS [TARGET...]")
    work = tempfile.mkdtemp(prefix="satchel-fuzzing-")
    print(fuzz(work, int(sys.argv[1]), sys.argv[2:] or None))
    print("work directory: %s" % work)
