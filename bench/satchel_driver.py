# SPDX-License-Identifier: GPL-3.0-or-later
"""The one driver for the satchel binary, shared by bench/run and bench/reliability
(bench/reliability.d/*.py). Standard library only.

- child_env(root): the environment of every child the harnesses start: HOME, TMPDIR
  and the XDG directories under `root`, SATCHEL_HOME and every proxy variable removed
  (libcurl, curl and Python's urllib/requests all read them), loopback exempt from any
  proxy.
- Vault: one throwaway vault (a --home directory, a config file, a passphrase file):
  init, one-shot commands with the passphrase on a file descriptor (never an argument
  or an environment variable), a script of REPL lines from a file.
- Repl: a REPL child fed one line at a time, its replies read from a pseudo-terminal.
- PtyRun: a REPL child reading a script file, its output drained from a pseudo-terminal
  (for runs killed at a random moment).
- user_script / contact_line: the REPL lines; add_destination / write_destination:
  a destination through `destination add`, or written straight into config.toml; either
  way confirmed (`destination confirm --yes`), since satchel sends nothing to a destination
  whose definition the worker has not confirmed.

Every person, name and note written through it is fictional.
"""
import os
import select
import subprocess
import threading
import time

PROXY_VARS = tuple(v for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
                   for v in (name, name.upper()))
XDG_DIRS = {"XDG_DATA_HOME": ".local/share", "XDG_CONFIG_HOME": ".config",
            "XDG_STATE_HOME": ".local/state", "XDG_CACHE_HOME": ".cache"}
LOOPBACK = "127.0.0.1,localhost"
WRONG_PASSPHRASE = "definitely-not-the-right-one-99"
_VAULT_DEFAULT = object()   # run(timeout=...): the vault's own timeout


def child_env(root, extra=None):
    """The caller's environment with HOME (and the XDG directories inside it) and TMPDIR
    under `root` (both created), SATCHEL_HOME and the proxy variables removed, and NO_PROXY
    naming loopback. Builds and package installs keep the caller's environment instead:
    they may need a proxy."""
    home, tmp = os.path.join(root, "home"), os.path.join(root, "tmp")
    os.makedirs(home, exist_ok=True)
    os.makedirs(tmp, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS and k != "SATCHEL_HOME"}
    env.update({k: os.path.join(home, sub) for k, sub in XDG_DIRS.items()})
    env.update({"HOME": home, "TMPDIR": tmp, "NO_PROXY": LOOPBACK, "no_proxy": LOOPBACK,
                # the Swift runtime's crash backtracer can take minutes in a debug build;
                # a crash is still seen from the exit signal
                "SWIFT_BACKTRACE": "enable=no"})
    env.update(extra or {})
    return env


def _write_private(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)


class Vault:
    """One throwaway satchel vault. `home` is its --home, `config` its --config, `passfile`
    holds `passphrase` (written here), `env` is a child_env(), script files go to
    `scriptdir`; one-shot commands time out after `timeout` seconds (None: never)."""

    def __init__(self, binary, home, config, passfile, passphrase, env, scriptdir, cwd=None, timeout=None):
        self.binary, self.home, self.config, self.passfile = binary, home, config, passfile
        self.env, self.scriptdir, self.cwd, self.timeout = env, scriptdir, cwd, timeout
        os.makedirs(scriptdir, exist_ok=True)
        _write_private(passfile, passphrase + "\n")

    def argv(self, fd, *args):
        return [self.binary, "--home", self.home, "--config", self.config, "--passphrase-fd", str(fd), *args]

    def _passfile(self, wrong):
        if not wrong:
            return self.passfile
        path = self.passfile + ".wrong"
        _write_private(path, WRONG_PASSPHRASE + "\n")
        return path

    def popen(self, args, stdin_text=None, stdin=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
              wrong=False, wrap=(), cwd=None, **kw):
        """Starts `[wrap...] satchel --home .. --config .. --passphrase-fd N args`, the
        passphrase (or a wrong one) on descriptor N. `stdin_text` goes through a file in
        scriptdir, never a pipe (no blocking on large scripts); else `stdin`, or /dev/null."""
        pf = open(self._passfile(wrong), "rb")
        script = None
        if stdin_text is not None:
            path = os.path.join(self.scriptdir, ".script-%d.txt" % os.getpid())
            with open(path, "w") as f:
                f.write(stdin_text)
            stdin = script = open(path, "rb")
        try:
            return subprocess.Popen([*wrap, *self.argv(pf.fileno(), *args)], pass_fds=(pf.fileno(),),
                                    stdin=subprocess.DEVNULL if stdin is None else stdin, stdout=stdout,
                                    stderr=stderr, env=self.env, cwd=cwd or self.cwd, **kw)
        finally:
            pf.close()
            if script:
                script.close()

    def run(self, *args, stdin_text=None, wrong=False, timeout=_VAULT_DEFAULT, check=False, wrap=()):
        """One command to its end: (exit status, stdout, stderr). A timeout (default: the
        vault's) kills it and gives status 124; `check` raises on a non-zero status."""
        timeout = self.timeout if timeout is _VAULT_DEFAULT else timeout
        p = self.popen(list(args), stdin_text=stdin_text, wrong=wrong, wrap=wrap)
        try:
            out, err = p.communicate(timeout=timeout)
            rc, note = p.returncode, ""
        except subprocess.TimeoutExpired:
            p.kill()
            out, err = p.communicate()
            rc, note = 124, "\n[bench: timeout]"
        out, err = out.decode(errors="replace"), err.decode(errors="replace") + note
        if check and rc != 0:
            raise RuntimeError("satchel %s -> %d: %s" % (" ".join(args), rc, (out + err)[-800:]))
        return rc, out, err

    def init(self, name, role="clinician"):
        """Creates the vault: the user `name` (fictional) and the passphrase."""
        return self.run("init", "--name", name, "--role", role, check=True)


def user_script(alias, name, with_consent=True):
    """REPL lines adding a fictional person and, with_consent, their consent to share with
    the agency "fixture"."""
    lines = ['user add --name "%s" --alias %s' % (name, alias)]
    if with_consent:
        lines.append("consent add --user %s --scope share --with fixture --decision given --risk low" % alias)
    return "\n".join(lines) + "\n"


def contact_line(alias, summary, where="phone"):
    """One finalised contact (a 5-minute phone call) for the person `alias`."""
    return 'contact add --user %s --kind phone --where "%s" --minutes 5 --summary "%s" --risk low' % (alias, where, summary)


def add_destination(v, url, ca=None, batch=25, pin=None, extra_toml=None, name="fixture", agency="fixture"):
    """`satchel destination add`, plus any extra TOML lines for it appended to the config
    (then confirmed: a line such as ca-path changes the destination's definition)."""
    args = ["destination", "add", name, "--url", url, "--agency", agency, "--batch-size", str(batch)]
    if ca:
        args += ["--ca-file", ca]
    if pin:
        args += ["--pin", pin]
    v.run(*args, check=True)
    if extra_toml:
        with open(v.config, "a") as f:
            f.write(extra_toml.rstrip() + "\n")
        v.run("destination", "confirm", name, "--yes", check=True)


def write_destination(v, url, ca, batch=100, name="fixture", agency="fixture"):
    """Replaces the config file with this one destination, and confirms it (one unlock)."""
    with open(v.config, "w") as f:
        f.write('[destination.%s]\nurl = "%s"\nagency = ["%s"]\nca-file = "%s"\nbatch-size = %d\n'
                % (name, url, agency, ca, batch))
    v.run("destination", "confirm", name, "--yes", check=True)


def _raw_pty():
    """A pseudo-terminal pair that passes output through as written (no \\r\\n, no echo)."""
    import pty
    import termios
    master, slave = pty.openpty()
    attrs = termios.tcgetattr(slave)
    attrs[1] &= ~termios.OPOST
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    return master, slave


class Repl:
    """A satchel REPL child fed one line at a time on a pipe. With pty (the default) its
    standard output is a pseudo-terminal, so each reply is flushed at once and reply()
    reads it; without, standard output is a pipe read at the end."""

    def __init__(self, vault, args=(), pty=True, **kw):
        self.master, slave = _raw_pty() if pty else (None, None)
        self.p = vault.popen(list(args), stdin=subprocess.PIPE, stdout=slave or subprocess.PIPE, **kw)
        if slave is not None:
            os.close(slave)
        self.buf = b""

    def send(self, line):
        self.p.stdin.write(line.encode() + b"\n")
        self.p.stdin.flush()

    def reply(self, timeout=120):
        """The next line satchel printed (bytes, without the newline)."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            ready, _, _ = select.select([self.master], [], [], max(0, deadline - time.monotonic()))
            if not ready:
                raise RuntimeError("no reply from the satchel REPL")
            try:
                self.buf += os.read(self.master, 65536)
            except OSError:
                raise RuntimeError("the satchel REPL ended: " + self.p.stderr.read().decode(errors="replace")[-500:])
        line, self.buf = self.buf.split(b"\n", 1)
        return line

    def close(self, timeout=60):
        """Ends its input and waits: its exit status."""
        self.p.stdin.close()
        self.p.wait(timeout)
        if self.master is not None:
            os.close(self.master)
        return self.p.returncode


class PtyRun:
    """Run satchel with standard output on a pseudo-terminal, so every line it prints
    reaches us at once (stdio is line-buffered on a terminal, block-buffered on a file or
    pipe: a kill -9 would otherwise swallow the "Saved and finalised" lines it printed).
    Standard input stays the script file, so satchel still reads one command per line."""

    def __init__(self, vault, args, stdin_text):
        self.master, slave = _raw_pty()
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
