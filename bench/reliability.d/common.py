# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared plumbing for bench/reliability: driving the real satchel binary and the
sync-fixture server. Standard library only. Every name and note is fictional."""
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCRATCH = os.path.join(ROOT, ".build-reliability")
BINARY = os.path.join(SCRATCH, "debug", "satchel")
FIX = os.path.join(ROOT, "sync-fixtures")
VENV_PY = os.path.join(FIX, ".venv", "bin", "python")
PASSPHRASE = "reliability-bench-horse-staple-42"
WRONG_PASSPHRASE = "definitely-not-the-right-one-99"

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


class Vault:
    """One satchel home directory, config file and passphrase file."""

    def __init__(self, base, name="vault", env_extra=None, scriptdir=None):
        self.base = base
        self.scriptdir = scriptdir or base
        self.home = os.path.join(base, name)
        self.config = os.path.join(base, name + ".config.toml")
        self.passfile = os.path.join(base, name + ".pass")
        self.wrongfile = os.path.join(base, name + ".wrong")
        os.makedirs(base, exist_ok=True)
        with open(self.passfile, "w") as f:
            f.write(PASSPHRASE + "\n")
        with open(self.wrongfile, "w") as f:
            f.write(WRONG_PASSPHRASE + "\n")
        self.env = dict(os.environ)
        # keep satchel's idea of HOME/XDG inside the campaign directory
        for k in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME", "TMPDIR"):
            self.env.pop(k, None)
        fake_home = os.path.join(base, "home")
        os.makedirs(fake_home, exist_ok=True)
        tmp = os.path.join(base, "tmp")
        os.makedirs(tmp, exist_ok=True)
        self.env.update({"HOME": fake_home, "TMPDIR": tmp, "XDG_DATA_HOME": os.path.join(fake_home, ".local/share"),
                         "XDG_CONFIG_HOME": os.path.join(fake_home, ".config"),
                         "XDG_STATE_HOME": os.path.join(fake_home, ".local/state"),
                         "XDG_CACHE_HOME": os.path.join(fake_home, ".cache"),
                         "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
                         # the Swift runtime's crash backtracer can take minutes in a debug build;
                         # a crash is still seen from the exit signal
                         "SWIFT_BACKTRACE": "enable=no"})
        for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
            self.env.pop(k, None)
        if env_extra:
            self.env.update(env_extra)

    @property
    def db(self):
        return os.path.join(self.home, "vault.sqlite")

    def argv(self, fd, *args):
        return [BINARY, "--home", self.home, "--config", self.config, "--passphrase-fd", str(fd)] + list(args)

    def popen(self, args, stdin_text=None, stdout=None, stderr=None, wrong=False, cwd=None, preexec=None):
        pf = open(self.wrongfile if wrong else self.passfile, "rb")
        # the script goes through a file, never a pipe: no blocking on large scripts
        if stdin_text is not None:
            sp = os.path.join(self.scriptdir, ".script-%d.txt" % os.getpid())
            with open(sp, "w") as f:
                f.write(stdin_text)
            stdin = open(sp, "rb")
        else:
            stdin = subprocess.DEVNULL
        p = subprocess.Popen(self.argv(pf.fileno(), *args), stdin=stdin, stdout=stdout or subprocess.PIPE,
                             stderr=stderr or subprocess.PIPE, pass_fds=(pf.fileno(),), env=self.env,
                             cwd=cwd or self.base, preexec_fn=preexec)
        pf.close()
        if stdin_text is not None:
            stdin.close()
        return p

    def run(self, *args, stdin_text=None, wrong=False, timeout=900):
        p = self.popen(list(args), stdin_text=stdin_text, wrong=wrong)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            return 124, out.decode(errors="replace"), err.decode(errors="replace") + "\n[bench: timeout]"
        return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")

    def init(self):
        rc, out, err = self.run("init", "--name", "Reliability Mentor", "--role", "clinician")
        if rc != 0:
            raise RuntimeError("init failed (%d): %s %s" % (rc, out, err))

    def status(self):
        rc, out, err = self.run("status", "--json")
        if rc != 0:
            raise RuntimeError("status failed (%d): %s" % (rc, err))
        return json.loads(out)


def user_script(alias, name, with_consent=True):
    lines = ['user add --name "%s" --alias %s' % (name, alias)]
    if with_consent:
        lines.append("consent add --user %s --scope share --with fixture --decision given --risk low" % alias)
    return "\n".join(lines) + "\n"


def contact_line(alias, summary, where="phone"):
    return 'contact add --user %s --kind phone --where "%s" --minutes 5 --summary "%s" --risk low' % (alias, where, summary)


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
                                  stdout=subprocess.PIPE, stderr=self.log, cwd=FIX)
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
                                   "--port", "0"] + list(args), stdout=subprocess.PIPE, stderr=self.log, cwd=FIX)
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


def add_destination(v, server, batch=25, url=None, pin=None, extra_toml=None):
    args = ["destination", "add", "fixture", "--url", url or server.base, "--ca-file", server.ca,
            "--agency", "fixture", "--batch-size", str(batch)]
    if pin:
        args += ["--pin", pin]
    rc, out, err = v.run(*args)
    if rc != 0:
        raise RuntimeError("destination add failed (%d): %s %s" % (rc, out, err))
    if extra_toml:
        with open(v.config, "a") as f:
            f.write(extra_toml.rstrip() + "\n")


def final_record_ids(v):
    """All final record ids in the vault (read from a copy, never the live file)."""
    tmp = os.path.join(v.base, "probe-copy")
    shutil.rmtree(tmp, ignore_errors=True)
    db = copy_vault(v.home, tmp)
    con = sqlite3.connect(db)
    try:
        return [r[0] for r in con.execute("SELECT id FROM record WHERE state='final'")]
    finally:
        con.close()
        shutil.rmtree(tmp, ignore_errors=True)


class PtyRun:
    """Run satchel with standard output on a pseudo-terminal, so every line it prints
    reaches us at once (stdio is line-buffered on a terminal, block-buffered on a file or
    pipe: a kill -9 would otherwise swallow the "Saved and finalised" lines it printed).
    Standard input stays the script file, so satchel still reads one command per line."""

    def __init__(self, vault, args, stdin_text):
        import pty
        import threading
        self.master, slave = pty.openpty()
        self.p = vault.popen(list(args), stdin_text=stdin_text, stdout=slave)
        os.close(slave)
        self.buf = bytearray()
        self._t = threading.Thread(target=self._drain, daemon=True)
        self._t.start()

    def _drain(self):
        while True:
            try:
                d = os.read(self.master, 65536)
            except OSError:
                break
            if not d:
                break
            self.buf += d

    def text(self):
        return self.buf.decode(errors="replace").replace("\r\n", "\n")

    def finish(self):
        self.p.wait()
        self._t.join(5)
        err = self.p.stderr.read().decode(errors="replace") if self.p.stderr else ""
        try:
            os.close(self.master)
        except OSError:
            pass
        return self.p.returncode, self.text(), err
