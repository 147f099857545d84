# SPDX-License-Identifier: GPL-3.0-or-later
"""The reliability campaigns. Each returns a row for the table:
{campaign, runs, lost, duplicated, detected, crashes, result, notes}."""
import json
import os
import random
import re
import shutil
import subprocess
import time

from common import (new_vault, Server, FaultProxy, saved_ids, copy_vault, integrity_and_records,
                    final_record_ids, is_crash, PASSPHRASE)
from satchel_driver import PtyRun, Repl, add_destination, user_script, contact_line  # on sys.path via common



def kill_after(pr, delay, run):
    """Let a PtyRun go for `delay` seconds, then kill -9 it if still running.
    Returns (1 if we killed it, 1 if it crashed on its own, its output)."""
    p = pr.p
    killed = 0
    try:
        p.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        p.kill()
        killed = 1
    _, out, err = pr.finish()
    crashed = 0
    if is_crash(p.returncode, err, killed_by_us=True):
        crashed = 1
        log("run %d: crash rc=%s %s" % (run, p.returncode, err[-300:]))
    return killed, crashed, out

def row(name, runs, lost="-", dup="-", detected="-", crashes=0, ok=True, notes="", result=None):
    return {"campaign": name, "runs": runs, "lost": lost, "duplicated": dup, "detected": detected,
            "crashes": crashes, "result": result or ("PASS" if ok else "FAIL"), "notes": notes}


def log(msg):
    print("  .. " + msg, flush=True)


# --------------------------------------------------------------------------------------
# 1. kill -9 during save
def kill_save(work, runs, per_run=15, seed=1):
    rng = random.Random(seed)
    v = new_vault(work)
    rc, out, err = v.run(stdin_text=user_script("fp", "Fictional Person", with_consent=False))
    if rc != 0:
        raise RuntimeError("setup failed: %s %s" % (out, err))
    # calibrate: how long one uninterrupted run of the script takes
    def script(run):
        return "\n".join(contact_line("fp", "KSAVE-%04d-%02d-%06x" % (run, i, rng.randrange(1 << 24)))
                         for i in range(per_run)) + "\n"
    t0 = time.monotonic()
    v.run("status")
    t_unlock = time.monotonic() - t0
    t0 = time.monotonic()
    rc, out, err = v.run(stdin_text=script(9999))
    span = time.monotonic() - t0
    reported = {}        # 8-hex id -> canary
    for _, rid in saved_ids(out):
        pass
    expected_canaries = {}
    crashes, integrity_bad, lost_now, killed = 0, 0, 0, 0
    cal_canaries = re.findall(r'--summary "([^"]+)"', script(0))  # (not used; rng advanced)
    for run in range(runs):
        text = script(run)
        canaries = re.findall(r'--summary "([^"]+)"', text)
        pr = PtyRun(v, [], text)
        # mostly after the unlock (Argon2id), so the kill lands among the saves
        delay = rng.uniform(0.0, span * 1.05) if run % 5 == 0 else rng.uniform(0.8 * t_unlock, span * 1.05)
        was_killed, crashed, out = kill_after(pr, delay, run)
        killed += was_killed
        crashes += crashed
        ids = [rid for _, rid in saved_ids(out)]
        # line i of the script is the i-th "Saved" line (each line finalises one record)
        for i, rid in enumerate(ids):
            expected_canaries[canaries[i]] = rid
        # after the kill: integrity of a copy, and every reported id present and final
        cp = os.path.join(work, "copy")
        shutil.rmtree(cp, ignore_errors=True)
        ok, msg, rows = integrity_and_records(copy_vault(v.home, cp))
        if not ok:
            integrity_bad += 1
            log("run %d: integrity_check: %s" % (run, msg))
        finals = [r[0] for r in rows if r[2] == "final"]
        for rid in ids:
            if not any(f.startswith(rid) for f in finals):
                lost_now += 1
                log("run %d: reported-saved %s missing right after kill" % (run, rid))
    # the end: every reported canary is readable (decrypts) exactly once
    rc, hist, err = v.run("history", "fp")
    if is_crash(rc, err):
        crashes += 1
    lost, dup = 0, 0
    for canary in expected_canaries:
        n = hist.count(canary)
        if n == 0:
            lost += 1
            log("lost: %s (id %s)" % (canary, expected_canaries[canary]))
        elif n > 1:
            dup += 1
    rc2, aout, aerr = v.run("audit", "verify")
    cp = os.path.join(work, "copy")
    shutil.rmtree(cp, ignore_errors=True)
    ok_final, msg, _ = integrity_and_records(copy_vault(v.home, cp))
    lost = max(lost, lost_now)
    good = (lost == 0 and dup == 0 and crashes == 0 and integrity_bad == 0 and rc == 0 and rc2 == 0 and ok_final)
    notes = ("unlock %.2f s, a run %.2f s; " % (t_unlock, span)) + ("%d killed mid-run, %d reported saved, all read back by `history`; integrity_check bad after %d kills; "
             "audit verify rc=%d; history rc=%d" % (killed, len(expected_canaries), integrity_bad, rc2, rc))
    return row("1 kill -9 during save", "%d x %d records, %d killed" % (runs, per_run, killed), lost, dup, "-", crashes, good, notes)


# --------------------------------------------------------------------------------------
# 2. kill -9 during sync
def kill_sync(work, runs, per_run=3, seed=2):
    rng = random.Random(seed)
    srv = Server(work)
    try:
        # a little server-side delay so a kill lands mid-bundle, not only before or after
        srv.faults([{"fault": "delay", "seconds": 0.15, "match": {"method": ["POST", "PUT"]}, "count": None}])
        v = new_vault(work)
        add_destination(v, srv.base, srv.ca, batch=4)
        rc, out, err = v.run(stdin_text=user_script("fp", "Fictional Sync Person") +
                             "\n".join(contact_line("fp", "KSYNC-seed-%02d" % i) for i in range(12)) + "\n")
        if rc != 0:
            raise RuntimeError("setup failed (%d): %s %s" % (rc, out, err))

        def script(run):
            return "\n".join(contact_line("fp", "KSYNC-%04d-%02d" % (run, i)) for i in range(per_run)) + "\nsync\n"
        t0 = time.monotonic()
        v.run("status")
        t_unlock = time.monotonic() - t0
        v.run(stdin_text=script(9998))           # delivers the seed records
        t0 = time.monotonic()
        v.run(stdin_text=script(9999))           # a typical run: 3 saves and a short sync
        span = time.monotonic() - t0
        crashes, killed = 0, 0
        reported = set()
        for run in range(runs):
            pr = PtyRun(v, [], script(run))
            was_killed, crashed, out = kill_after(pr, rng.uniform(0.8 * t_unlock, span * 1.05), run)
            killed += was_killed
            crashes += crashed
            for _, rid in saved_ids(out):
                reported.add(rid)
        # final clean sync (a few passes allowed: backoff may leave some for the next)
        final_rc = None
        for _ in range(5):
            final_rc, out, err = v.run("sync", "--json")
            if is_crash(final_rc, err):
                crashes += 1
            if final_rc == 0:
                break
        vault_ids = set(final_record_ids(v))
        st = srv.stats()
        server_ids = srv.resource_ids()
        server_set = set(server_ids)
        lost_ids = vault_ids - server_set
        extra = server_set - vault_ids
        lost = len(lost_ids)
        lost += sum(1 for r in reported if not any(x.startswith(r) for x in server_set))
        dup = st.get("duplicates", 0) + (len(server_ids) - len(server_set)) + len(extra)
        good = final_rc == 0 and lost == 0 and dup == 0 and crashes == 0 and st.get("total") == len(vault_ids)
        notes = ("unlock %.2f s, a run %.2f s; " % (t_unlock, span)) + ("%d killed; vault %d final records, server total %d, duplicates %d, %d write requests; final sync rc=%s"
                 % (killed, len(vault_ids), st.get("total"), st.get("duplicates"), st.get("write_requests"), final_rc))
        return row("2 kill -9 during sync", "%d, %d killed" % (runs, killed), lost, dup, "-", crashes, good, notes)
    finally:
        srv.stop()


# --------------------------------------------------------------------------------------
# 3. ambiguous replies: commit then reset on 30%
def ambiguous(work, records, batch=5, seed=3):
    srv = Server(work)
    try:
        v = new_vault(work)
        add_destination(v, srv.base, srv.ca, batch=batch)
        lines = [user_script("fp", "Fictional Ambiguous Person")]
        lines += [contact_line("fp", "AMB-%05d" % i) + "\n" for i in range(records)]
        t0 = time.monotonic()
        rc, out, err = v.run(stdin_text="".join(lines), timeout=3600)
        t_save = time.monotonic() - t0
        if rc != 0:
            raise RuntimeError("saving failed (%d): %s" % (rc, err[-500:]))
        n_saved = sum(1 for k, _ in saved_ids(out) if k == "contact")
        srv.faults([{"fault": "commit-then-reset", "match": {"method": "POST"}, "probability": 0.3, "count": None}],
                   seed=seed)
        crashes, passes, rc = 0, 0, None
        t0 = time.monotonic()
        for passes in range(1, 40):
            rc, out, err = v.run("sync", "--json", timeout=3600)
            if is_crash(rc, err):
                crashes += 1
            if rc == 0:
                break
        t_sync = time.monotonic() - t0
        vault_ids = set(final_record_ids(v))
        st = srv.stats()
        server_ids = srv.resource_ids()
        contacts = st.get("by_type", {}).get("Encounter", 0)
        lost = len(vault_ids - set(server_ids))
        dup = st.get("duplicates", 0) + len(server_ids) - len(set(server_ids)) + len(set(server_ids) - vault_ids)
        fired = sum(r.get("fired", 0) for r in srv.ctl("/faults").get("rules", [])) if isinstance(srv.ctl("/faults"), dict) else "?"
        good = rc == 0 and lost == 0 and dup == 0 and crashes == 0 and contacts == records and n_saved == records
        notes = ("%d contacts (+1 Patient +1 Consent) saved in %.0f s; %d sync passes in %.0f s; %s commit-then-reset fired;"
                 " batch-size %d; server Encounter=%d total=%d duplicates=%d" % (records, t_save, passes, t_sync, fired, batch, contacts,
                                                                 st.get("total"), st.get("duplicates")))
        return row("3 ambiguous replies (30% commit-then-reset)", "%d records" % records, lost, dup, "-", crashes,
                   good, notes)
    finally:
        srv.stop()


# --------------------------------------------------------------------------------------
# 4. network chaos
def chaos(work, records, low_speed_time=10, max_passes=12, seed=4):
    from relay import StallRelay
    srv = Server(work)
    proxy = None
    relay = None
    try:
        # "2 s +- 1 s latency" taken as the round trip: 1 s +- 0.5 s each way
        proxy = FaultProxy(work, srv.port, ["--latency-ms", "1000", "--jitter-ms", "500", "--bandwidth", "8192",
                                            "--reset-probability", "0.2", "--seed", str(seed)])
        # the proxy picks connections to reset, and satchel keeps one connection alive, so
        # few connections means few proxy resets: the server also resets 20 % of POSTs
        srv.faults([{"fault": "reset", "match": {"method": "POST"}, "probability": 0.2, "count": None}], seed=seed)
        relay = StallRelay(proxy.port, stall_probability=0.25, seed=seed)
        relay.start()
        v = new_vault(work)
        url = "https://127.0.0.1:%d" % relay.port
        add_destination(v, url, srv.ca, batch=10,
                        extra_toml="connect-timeout = 15\nlow-speed-time = %d\nlow-speed-limit = 1" % low_speed_time)
        rc, out, err = v.run(stdin_text=user_script("fp", "Fictional Chaos Person") +
                             "\n".join(contact_line("fp", "CHAOS-%04d" % i) for i in range(records)) + "\n")
        if rc != 0:
            raise RuntimeError("setup failed (%d) %s" % (rc, err[-400:]))
        crashes, rc, passes = 0, None, 0
        t0 = time.monotonic()
        for passes in range(1, max_passes + 1):
            rc, out, err = v.run("sync", "--json", timeout=1800)
            if is_crash(rc, err):
                crashes += 1
            if rc == 0:
                break
            why = re.findall(r'"why" : "([^"]*)"', out)
            log("sync pass %d rc=%d: %s" % (passes, rc, (why or [err.strip()[-200:]])[0][:160]))
        t_sync = time.monotonic() - t0
        vault_ids = set(final_record_ids(v))
        st = srv.stats()
        server_ids = srv.resource_ids()
        lost = len(vault_ids - set(server_ids))
        dup = st.get("duplicates", 0) + len(server_ids) - len(set(server_ids)) + len(set(server_ids) - vault_ids)
        stalls = [s for s in relay.stalls]
        measured = [s["seconds"] for s in stalls if s["seconds"] is not None]
        never = sum(1 for s in stalls if s["seconds"] is None)
        slack = 3.0
        worst = max(measured) if measured else 0.0
        stall_ok = never == 0 and worst <= low_speed_time + slack
        pst = proxy.stats().get("stats", {})
        srv_resets = st.get("faults_fired")
        good = rc == 0 and lost == 0 and dup == 0 and crashes == 0 and stall_ok
        notes = ("%d records; drained in %d sync passes, %.0f s; proxy: %s connections, %s resets; server resets fired %s; %d stalls injected, "
                 "%d aborted by satchel, worst %.1f s (low-speed-time %d s, allowed %.0f s), %d never aborted"
                 % (len(vault_ids), passes, t_sync, pst.get("connections"), pst.get("resets"), srv_resets, len(stalls),
                    len(measured), worst, low_speed_time, low_speed_time + slack, never))
        return row("4 network chaos", "%d records" % records, lost, dup, "%d/%d stalls" % (len(measured), len(stalls)),
                   crashes, good, notes)
    finally:
        if relay:
            relay.stop()
        if proxy:
            proxy.stop()
        srv.stop()


# --------------------------------------------------------------------------------------
# 5. disk full during save
def disk_full(work, runs, seed=5):
    rng = random.Random(seed)
    if os.geteuid() != 0:
        return row("5 disk full during save", 0, result="SKIP", notes="needs root to mount a small tmpfs")
    crashes, lost, dup, clear, bad = 0, 0, 0, 0, 0
    notes = []
    for run in range(runs):
        mnt = os.path.join(work, "mnt%d" % run)
        os.makedirs(mnt, exist_ok=True)
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt], capture_output=True, text=True)
        if r.returncode != 0:
            return row("5 disk full during save", 0, result="SKIP", notes="mount tmpfs failed: " + r.stderr.strip())
        try:
            v = new_vault(mnt, name="vault", scriptdir=work)
            rc, out, err = v.run(stdin_text=user_script("fp", "Fictional Disk Person", with_consent=False))
            # fill the rest of the tmpfs, leaving a random little slack
            slack = rng.randrange(100 * 1024, 700 * 1024)
            st = os.statvfs(mnt)
            free = st.f_bavail * st.f_frsize
            with open(os.path.join(mnt, "filler"), "wb") as f:
                try:
                    f.write(b"\0" * max(0, free - slack))
                    f.flush()
                except OSError:
                    pass
            big = "X" * 2000
            lines = "\n".join(contact_line("fp", "DISK-%02d-%03d-%s" % (run, i, big)) for i in range(120)) + "\n"
            rc, out, err = v.run(stdin_text=lines)
            if is_crash(rc, err):
                crashes += 1
            reported = [rid for _, rid in saved_ids(out)]
            full_msg = rc == 74 and re.search(r"(?i)disk|full|space|storage", err + out) is not None
            os.remove(os.path.join(mnt, "filler"))
            # the vault still opens, every reported record is there, integrity ok
            rc2, hist, err2 = v.run("history", "fp")
            rc3, _, _ = v.run("audit", "verify")
            rc4, dout, _ = v.run("drafts")
            cp = os.path.join(work, "copy")
            shutil.rmtree(cp, ignore_errors=True)
            ok, msg, rows = integrity_and_records(copy_vault(v.home, cp))
            finals = [r[0] for r in rows if r[2] == "final" and r[1] == "contact"]
            drafts = [r[0] for r in rows if r[2] == "draft"]
            l = sum(1 for rid in reported if not any(f.startswith(rid) for f in finals))
            # saved-but-unreported finals are not loss; a reported one missing is
            hist_hits = len(re.findall(r"DISK-%02d-" % run, hist))
            d = max(0, len(set(reported)) - len(reported))
            lost += l
            dup += d
            if full_msg:
                clear += 1
            if rc2 != 0 or rc3 != 0 or not ok:
                bad += 1
            notes.append("run %d: rc=%d (%s) reported %d, finals %d, drafts %d, history %d/%d readable, reopen rc=%d/%d, "
                         "integrity %s" % (run, rc, (err.strip().splitlines() or ["?"])[0][:100], len(reported),
                                           len(finals), len(drafts), hist_hits, len(finals), rc2, rc3, msg))
        finally:
            if subprocess.run(["umount", mnt], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", mnt], capture_output=True)
    good = lost == 0 and dup == 0 and crashes == 0 and clear == runs and bad == 0
    return row("5 disk full during save", "%d (tmpfs 3 MiB)" % runs, lost, dup, "%d/%d exit 74" % (clear, runs),
               crashes, good, "; ".join(notes))


# --------------------------------------------------------------------------------------
# 6. tamper: one edit outside Satchel per trial, every authenticated thing in turn (tamper.py)
def tamper(work, per_category, jobs=2, seed=6):
    import tamper as T
    rows, crashes, wrong_rc = T.tamper(work, per_category, jobs=jobs, seed=seed)
    trials = sum(r["trials"] for r in rows)
    detected = sum(r["detected"] for r in rows)
    log("per category (a: sent, b: shown, c: named; a trial is detected when all three hold):")
    w = max(len(r["category"]) for r in rows)
    for r in rows:
        f = r["failed"]
        log("%s  %3d trials  %3d detected  %3d missed%s" % (
            r["category"].ljust(w), r["trials"], r["detected"], r["missed"],
            "  (failed a %d, b %d, c %d) e.g. %s" % (f["sent"], f["shown"], f["named"], r["example"][:300]) if r["missed"] else ""))
    failing = [r for r in rows if r["missed"]]
    good = not failing and crashes == 0 and wrong_rc == 77
    notes = ("%d categories x %d trials; detected = nothing sent that should not be, nothing shown as valid, and "
             "`check` (or the refusing command) exit 70 naming it; wrong passphrase rc=%d (want 77)"
             % (len(rows), per_category, wrong_rc))
    if failing:
        notes += "; categories with misses: " + "; ".join(
            "%s %d/%d (a %d, b %d, c %d)" % (r["category"], r["missed"], r["trials"], r["failed"]["sent"],
                                             r["failed"]["shown"], r["failed"]["named"]) for r in failing)
    return row("6 tamper (edits outside Satchel)", "%d edits, %d categories" % (trials, len(rows)), "-", "-",
               "%d/%d" % (detected, trials), crashes, good, notes)


# --------------------------------------------------------------------------------------
# 7. leak scan
def _scan(paths, needles, skip=()):
    hits = []
    for top in paths:
        for dirpath, dirs, files in os.walk(top):
            if any(dirpath.startswith(s) for s in skip):
                continue
            for fn in files:
                p = os.path.join(dirpath, fn)
                if any(p.startswith(s) for s in skip):
                    continue
                try:
                    data = open(p, "rb").read()
                except OSError:
                    continue
                for n in needles:
                    for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                        if n.encode(enc) in data:
                            hits.append((p, n, enc))
    return hits


def leak(work, records, seed=7):
    rng = random.Random(seed)
    srv = Server(work)
    try:
        sdir = os.path.join(work, "scripts")        # our own input files: not scanned
        os.makedirs(sdir)
        v = new_vault(os.path.join(work, "w"), scriptdir=sdir)
        add_destination(v, srv.base, srv.ca, batch=25)
        tag = "%06x" % rng.randrange(1 << 24)
        name = "Zebedee Quillfeather-%s" % tag
        needles = [name, "Quillfeather-%s" % tag, "QFADDR-%s" % tag, PASSPHRASE]
        text = ('user add --name "%s" --alias zq --address "12 QFADDR-%s Lane, Nowhere"\n' % (name, tag) +
                "consent add --user zq --scope share --with fixture --decision given --risk low\n")
        for i in range(records):
            c = "LEAKCANARY-%s-%03d" % (tag, i)
            needles += [c, "WHERE-%s-%03d" % (tag, i)]
            text += contact_line("zq", c, where="WHERE-%s-%03d" % (tag, i)) + "\n"
        start = time.time()
        # the vault dir, the fake HOME (XDG dirs), TMPDIR, and the config file (not the passphrase file)
        scan_dirs = [v.home, v.env["HOME"], v.env["TMPDIR"]]
        # (a) kill -9 with the WAL un-checkpointed, scan while the WAL is full of fresh pages
        pr = PtyRun(v, [], text + "history zq\n")
        p = pr.p
        hits_mid, mid_scans = [], 0
        deadline = time.monotonic() + 60
        # scan while it writes; kill -9 once half the records are reported saved, so the
        # WAL is left exactly as a crash leaves it
        while p.poll() is None and time.monotonic() < deadline:
            hits_mid += _scan([v.home], needles)
            mid_scans += 1
            if pr.text().count("Saved and finalised contact") >= records // 2:
                break
            time.sleep(0.05)
        killed = p.poll() is None
        if killed:
            p.kill()
        pr.finish()
        hits_after = _scan(scan_dirs, needles)
        wal = os.path.join(v.home, "vault.sqlite-wal")
        wal_size = os.path.getsize(wal) if os.path.exists(wal) else 0
        # (b) sync (bodies go out as FHIR), history, audit, status; scan again
        v.run("sync", "--json")
        v.run("history", "zq")
        v.run("audit", "verify")
        v.run("status")
        hits_end = _scan(scan_dirs, needles) + _scan_file(v.config, needles)
        # (c) /tmp and /var/tmp files touched since the start, outside our own work dir and the server's data
        fresh_tmp = []
        for top in ("/tmp", "/var/tmp", "/dev/shm"):
            for dirpath, dirs, files in os.walk(top):
                if dirpath.startswith(work) or "/bash_jobs" in dirpath:
                    dirs[:] = []
                    continue
                for fn in files:
                    pth = os.path.join(dirpath, fn)
                    try:
                        if os.path.getmtime(pth) >= start - 1:
                            fresh_tmp.append(pth)
                    except OSError:
                        pass
        hits_tmp = []
        for pth in fresh_tmp:
            hits_tmp += _scan_file(pth, needles)
        files_scanned = sum(len(f) for _, _, f in _walk_all(scan_dirs))
        total_hits = hits_mid + hits_after + hits_end + hits_tmp
        core_ok, core = _core_probe(v, work, needles)
        good = not total_hits and core_ok
        notes = ("%d unique strings (name, address, %d summaries, %d places, the passphrase) in UTF-8/UTF-16; scanned "
                 "vault dir (+ -wal/-shm) %d times during a run, after kill -9 (%s; WAL %d bytes), after sync/history/audit; fake HOME, "
                 "TMPDIR, config dir (%d files), %d files in /tmp,/var/tmp,/dev/shm changed since start: %d hits%s. "
                 "Core dump: %s" % (len(needles), records, records, mid_scans, "killed" if killed else "had finished", wal_size, files_scanned, len(fresh_tmp), len(total_hits),
                                    (" " + repr(total_hits[:3])) if total_hits else "", core))
        return row("7 leak scan", "%d records" % records, "-", "-", "%d hits" % len(total_hits), 0, good, notes)
    finally:
        srv.stop()


def _walk_all(dirs):
    for d in dirs:
        for x in os.walk(d):
            yield x


def _scan_file(p, needles):
    try:
        data = open(p, "rb").read()
    except OSError:
        return []
    return [(p, n, e) for n in needles for e in ("utf-8", "utf-16-le", "utf-16-be") if n.encode(e) in data]


def _core_limit(pid):
    """The soft and hard RLIMIT_CORE of a running process, as /proc/<pid>/limits shows them."""
    for line in open("/proc/%d/limits" % pid).read().splitlines():
        if line.startswith("Max core file size"):
            return tuple(line.split()[4:6])
    return None


def _core_probe(v, work, needles):
    """An unlocked REPL must leave no core: satchel sets RLIMIT_CORE to 0 and makes itself
    undumpable (prctl PR_SET_DUMPABLE 0) before it reads the passphrase. We start it with
    the core limit raised, check /proc/<pid>/limits reads 0 while it is unlocked, raise its
    limit again from outside (prlimit; needs CAP_SYS_RESOURCE) so that only the undumpable
    flag stands between SIGABRT and a core, and abort it. Returns (ok, notes)."""
    import resource
    pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    cdir = os.path.join(work, "coredir")
    os.makedirs(cdir, exist_ok=True)
    inf = (resource.RLIM_INFINITY, resource.RLIM_INFINITY)

    def allow_core():
        resource.setrlimit(resource.RLIMIT_CORE, inf)
    repl = Repl(v, pty=False, cwd=cdir, preexec_fn=allow_core)
    p = repl.p
    repl.send("history zq")
    time.sleep(4)     # unlocked, with opened bodies in memory
    running = p.poll() is None
    limit = _core_limit(p.pid) if running else None
    limit_zero = limit == ("0", "0")
    try:
        resource.prlimit(p.pid, resource.RLIMIT_CORE, inf)
        raised, why = _core_limit(p.pid) == ("unlimited", "unlimited"), ""
    except OSError as e:
        raised, why = False, e.strerror
    p.send_signal(6)   # SIGABRT while unlocked
    p.communicate(timeout=60)
    aborted = p.returncode == -6
    cores = [os.path.join(cdir, f) for f in os.listdir(cdir) if f.startswith("core")]
    hits = set()
    for c in cores:
        for _, n, _ in _scan_file(c, needles):
            hits.add(n)
        os.remove(c)
    piped = pattern.startswith("|")
    ok = running and limit_zero and aborted and not cores
    notes = ("an unlocked REPL (after `history`, started with RLIMIT_CORE unlimited): /proc/<pid>/limits core %s "
             "(want 0 0); %s; SIGABRT rc=%s; %s" % (
                 " ".join(limit) if limit else "unreadable" if running else "(it had exited)",
                 ("limit raised again from outside with prlimit, so only PR_SET_DUMPABLE 0 could stop the core"
                  if raised else "could not raise its limit from outside (%s; needs CAP_SYS_RESOURCE): the core "
                  "limit and the dumpable flag together were tested, not the flag alone" % (why or "no effect")),
                 p.returncode,
                 ("NO core file written (core_pattern %r)" % pattern if not cores and not piped else
                  "core_pattern pipes to %s: whether a core reached it is not visible here" % pattern.split()[0]
                  if not cores else
                  "A CORE WAS WRITTEN holding %d of %d canaries%s" % (
                      len(hits), len(needles), ", the passphrase among them" if PASSPHRASE in hits else ""))))
    return ok, notes


# --------------------------------------------------------------------------------------
# 8. TLS negatives
def _openssl(*args):
    return subprocess.run(["openssl", *args], capture_output=True, text=True, check=True).stdout


def _ca_directory(srv):
    """A hashed CA directory (like Debian's /etc/ssl/certs) holding only the server's CA."""
    d = os.path.join(srv.dir, "ca.d")
    os.makedirs(d, exist_ok=True)
    shutil.copy(srv.ca, os.path.join(d, _openssl("x509", "-subject_hash", "-noout", "-in", srv.ca).strip() + ".0"))
    return d


def _unrelated_ca(work):
    """A CA that signed nothing any fixture server presents."""
    pem = os.path.join(work, "unrelated-ca.pem")
    _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
             "-keyout", os.path.join(work, "unrelated-ca.key"), "-out", pem, "-days", "2",
             "-subj", "/CN=Satchel Reliability Unrelated CA", "-addext", "basicConstraints=critical,CA:TRUE")
    return pem


def tls(work, seed=8):
    v = new_vault(work)
    rc, out, err = v.run(stdin_text=user_script("fp", "Fictional TLS Person") + contact_line("fp", "TLS-BODY-1") + "\n")
    unrelated = _unrelated_ca(work)
    # (label, server variant, pin, in_ca_path): in_ca_path puts the server's CA only in a
    # ca-path directory while ca-file names an unrelated CA, which must replace it.
    cases = [("self-signed", "self-signed", None, False), ("expired", "expired", None, False),
             ("wrong-host", "wrong-host", None, False), ("tls1.0", "tls1.0", None, False),
             ("wrong pin", "normal", "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", False),
             ("CA only in ca-path, ca-file another", "normal", None, True)]
    refused, crashes, sent = 0, 0, 0
    notes = []

    def sync_against(variant, ca_file, pin=None, ca_path=False):
        """A fresh server and config.toml; `ca_file(srv)` is the ca-file (None: no ca-file)."""
        nonlocal crashes
        srv = Server(work, tls=variant)
        try:
            if os.path.exists(v.config):
                os.remove(v.config)
            add_destination(v, srv.base, ca_file(srv), batch=25, pin=pin,
                            extra_toml='ca-path = "%s"' % _ca_directory(srv) if ca_path else None)
            rc, out, err = v.run("sync", "--json", timeout=300)
            if is_crash(rc, err):
                crashes += 1
            return rc, srv.stats()
        finally:
            srv.stop()

    for label, variant, pin, in_ca_path in cases:
        rc, st = sync_against(variant, (lambda srv: unrelated) if in_ca_path else (lambda srv: srv.ca), pin, in_ca_path)
        if rc == 76 and st.get("write_requests", 0) == 0 and st.get("total", 0) == 0:
            refused += 1
        sent += st.get("write_requests", 0)
        notes.append("%s: rc=%d, server saw %d requests / %d writes" % (label, rc, st.get("requests", 0),
                                                                         st.get("write_requests", 0)))
    # The control, last (it delivers the record): the same ca-path without a ca-file is
    # trusted, so the case above was refused for its ca-file, not for a broken directory.
    rc, st = sync_against("normal", lambda srv: None, ca_path=True)
    control = rc == 0 and st.get("total", 0) > 0
    notes.append("control, ca-path alone: rc=%d, %d stored (%s)" % (rc, st.get("total", 0),
                                                                    "trusted" if control else "NOT TRUSTED"))
    good = refused == len(cases) and crashes == 0 and control
    return row("8 TLS negatives", "%d variants + 1 control" % len(cases), "-", "-", "%d/%d refused" % (refused, len(cases)),
               crashes, good, "; ".join(notes))
