# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared plumbing for bench/reliability: its vaults (through bench/satchel_driver.py,
the satchel driver it shares with bench/run), the sync-fixture server and fault proxy,
and reading a vault's file. Standard library only. Every name and note is fictional."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if BENCH not in sys.path:
    sys.path.insert(0, BENCH)
import satchel_driver as driver  # noqa: E402  (bench/satchel_driver.py, shared with bench/run)

ROOT = os.path.dirname(BENCH)
SCRATCH = os.path.join(ROOT, ".build-reliability")
BINARY = os.path.join(SCRATCH, "debug", "satchel")
FIX = os.path.join(ROOT, "sync-fixtures")
VENV_PY = os.path.join(FIX, ".venv", "bin", "python")
PASSPHRASE = "reliability-bench-horse-staple-42"

# Exit statuses that mean "the process crashed" rather than "it refused cleanly".
CRASH_SIGNALS = {signal.SIGSEGV, signal.SIGABRT, signal.SIGILL, signal.SIGTRAP,
                 signal.SIGBUS, signal.SIGFPE}


def is_crash(rc, stderr_text="", killed_by_us=False):
    if rc is None:
        return False
    if rc < 0:
        if killed_by_us and -rc == signal.SIGKILL:
            return False
        return True
    if rc >= 128 + 1 and (rc - 128) in CRASH_SIGNALS:
        return True
    low = stderr_text or ""
    return ("Fatal error" in low) or ("Segmentation fault" in low) or ("Illegal instruction" in low) or ("Program crashed" in low)


def vault(base, name="vault", scriptdir=None):
    """A throwaway vault BASE/NAME (config BASE/NAME.config.toml, passphrase BASE/NAME.pass)
    whose satchel children get the environment child_env(BASE): HOME, TMPDIR and the XDG
    directories inside BASE, no proxy. One-shot commands time out after 900 s."""
    os.makedirs(base, exist_ok=True)
    return driver.Vault(BINARY, home=os.path.join(base, name), config=os.path.join(base, name + ".config.toml"),
                        passfile=os.path.join(base, name + ".pass"), passphrase=PASSPHRASE,
                        env=driver.child_env(base), scriptdir=scriptdir or base, cwd=base, timeout=900)


def new_vault(base, name="vault", scriptdir=None):
    """vault(), initialised."""
    v = vault(base, name, scriptdir)
    v.init("Reliability Mentor")
    return v


def saved_ids(text):
    """8-hex ids of records the process reported saved and finalised, in order."""
    ids = []
    for line in text.splitlines():
        if line.startswith("Saved and finalised "):
            parts = line.split()
            if len(parts) >= 5:
                ids.append((parts[3], parts[4].rstrip(";.")))
    return ids


def copy_vault(src_dir, dst_dir):
    """Copy vault.sqlite and its -wal (not -shm) without opening it."""
    os.makedirs(dst_dir, exist_ok=True)
    for suffix in ("", "-wal"):
        s = os.path.join(src_dir, "vault.sqlite" + suffix)
        if os.path.exists(s):
            shutil.copyfile(s, os.path.join(dst_dir, "vault.sqlite" + suffix))
    return os.path.join(dst_dir, "vault.sqlite")


def integrity_and_records(db_copy):
    """integrity_check with the sqlite3 CLI; then (id, kind, state) rows via Python."""
    r = subprocess.run(["sqlite3", db_copy, "PRAGMA integrity_check"], capture_output=True, text=True)
    ok = r.returncode == 0 and r.stdout.strip() == "ok"
    con = sqlite3.connect(db_copy)
    try:
        rows = con.execute("SELECT id, kind, state FROM record").fetchall()
    finally:
        con.close()
    return ok, (r.stdout.strip() + r.stderr.strip())[:200], rows


class Server:
    def __init__(self, base, tls="normal", extra=()):
        self.dir = os.path.join(base, "server-" + tls + "-" + str(int(time.time() * 1000) % 100000))
        os.makedirs(self.dir, exist_ok=True)
        self.log = open(os.path.join(self.dir, "server.log"), "wb")
        self.p = subprocess.Popen([VENV_PY, os.path.join(FIX, "server.py"), "--port", "0",
                                   "--db", os.path.join(self.dir, "db.sqlite"), "--state-dir", self.dir,
                                   "--tls", tls] + list(extra),
                                  stdout=subprocess.PIPE, stderr=self.log, cwd=FIX, env=driver.child_env(base))
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError("sync-fixture server did not start (tls=%s); see %s" % (tls, self.dir))
        self.info = json.loads(line)
        self.base, self.ca, self.pin, self.control = (self.info["base"], self.info["ca"],
                                                      self.info["pin"], self.info["control"])
        self.port = self.info["port"]

    def ctl(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.control + path, data=data, method="POST" if body is not None else "GET",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            return json.loads(r.read() or b"{}")

    def stats(self):
        return self.ctl("/stats")

    def faults(self, rules, seed=1):
        return self.ctl("/faults", {"seed": seed, "rules": rules})

    def resource_ids(self):
        res = self.ctl("/resources")
        items = res if isinstance(res, list) else res.get("resources", res.get("entries", []))
        out = []
        for r in items:
            if isinstance(r, dict):
                rid = r.get("id") or (r.get("resource") or {}).get("id")
                out.append(rid)
        return out

    def stop(self):
        stop_child(self.p, self.log)


def stop_child(p, log):
    """SIGTERM a child we started, SIGKILL it after 10 s, and close its log."""
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    log.close()


class FaultProxy:
    def __init__(self, base, target_port, args):
        self.log = open(os.path.join(base, "faultproxy.log"), "wb")
        self.p = subprocess.Popen([VENV_PY, os.path.join(FIX, "faultproxy.py"), "--target-port", str(target_port),
                                   "--port", "0"] + list(args), stdout=subprocess.PIPE, stderr=self.log, cwd=FIX,
                                  env=driver.child_env(base))
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError("faultproxy did not start")
        self.info = json.loads(line)
        self.port = self.info["port"]
        self.control = self.info["control"]

    def stats(self):
        with urllib.request.urlopen(self.control + "/config", timeout=10) as r:
            return json.loads(r.read())

    def stop(self):
        stop_child(self.p, self.log)


def final_record_ids(v):
    """All final record ids in the vault (read from a copy, never the live file)."""
    tmp = os.path.join(os.path.dirname(v.home), "probe-copy")
    shutil.rmtree(tmp, ignore_errors=True)
    db = copy_vault(v.home, tmp)
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT id FROM record WHERE state='final'")]
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)
