# SPDX-License-Identifier: GPL-3.0-or-later
"""Campaign 6, tamper: one edit made outside Satchel to a copy of a used vault (or its
config.toml) per trial, one category after another, and three questions each time:

(a) sent  - `sync` against the fixture server sends nothing it should not (the server's
            arrival log holds only records a clean copy would send, less the one edited;
            nothing at all to a changed URL);
(b) shown - nothing edited is shown as valid (`history` of the person, `audit verify`,
            `queue`, or every command refusing, depending on what was edited);
(c) named - `satchel check` exits 70 naming what is wrong (or, where unlock/open or
            `sync` itself refuses, that command's message does).

A trial is detected when all three hold. Every person, name and note is fictional."""
import concurrent.futures
import hashlib
import json
import os
import random
import shutil
import sqlite3
import threading
import uuid

from common import vault, new_vault, Server, copy_vault, is_crash
from satchel_driver import add_destination, contact_line

DEST = "fixture"
ELSEWHERE = "elsewhere-agency"           # fr's share consent names this agency, not DEST
AUDIT_COLS = ["at", "action", "actor_id", "record_id", "detail", "prev_hash", "hash"]


def log(msg):
    print("  .. " + msg, flush=True)


# --------------------------------------------------------------------------------------
# The used vault every trial starts from
def _saved(text):
    """The 8-hex ids a script's output reported saved or kept as a draft, in order."""
    out = []
    for line in text.splitlines():
        w = line.split()
        if line.startswith("Saved and finalised ") and len(w) >= 5:
            out.append(w[4].rstrip(";."))
        elif line.startswith("Saved service user ") and len(w) >= 4:
            out.append(w[3].rstrip(";."))
        elif line.startswith("Kept as a draft ("):
            out.append(line.split("(")[1].split(")")[0])
    return out


def _script(v, items):
    """Runs REPL lines [(line, text shown by `history` or None)]; {8-hex id: text}."""
    rc, out, err = v.run(stdin_text="".join(line + "\n" for line, _ in items))
    ids = _saved(out)
    if rc != 0 or len(ids) != len(items):
        raise RuntimeError("building the vault failed (%d): %s %s" % (rc, out[-400:], err[-400:]))
    return {i: text for i, (_, text) in zip(ids, items)}


def build_master(work, srv, rng):
    """A vault in use, synced once to `srv`: fp has a share consent with DEST (delivered
    and pending records), fq none (everything held), fr a share consent with another
    agency only (held); a draft; a record finalised from a draft whose older sealed body
    is kept for the replay. Returns a dict describing it; the files are work/master/."""
    v = new_vault(work, name="build")
    add_destination(v, srv.base, srv.ca, batch=25)
    tag = "%06x" % rng.randrange(1 << 24)
    items = [('user add --name "Fictional Consenting Person" --alias fp', None),
             ("consent add --user fp --scope share --with %s --decision given --risk low" % DEST,
              "share with %s: given" % DEST),
             ('user add --name "Fictional Private Person" --alias fq', None),
             ('user add --name "Fictional Elsewhere Person" --alias fr', None),
             ("consent add --user fr --scope share --with %s --decision given --risk low" % ELSEWHERE,
              "share with %s: given" % ELSEWHERE)]
    items += [(contact_line(a, "T6-%s-%s-early-%d" % (tag, a, i)), "T6-%s-%s-early-%d" % (tag, a, i))
              for a in ("fp", "fq", "fr") for i in range(2)]
    text = _script(v, items)
    rc, out, err = v.run("sync", "--json")
    if rc != 0:
        raise RuntimeError("the first sync failed (%d): %s %s" % (rc, out[-400:], err[-400:]))
    replayed, kept = "T6-%s-fp-replayed" % tag, "T6-%s-fp-draft" % tag
    later = [(contact_line("fp", "T6-%s-fp-later-%d" % (tag, i)), "T6-%s-fp-later-%d" % (tag, i)) for i in range(2)]
    later += [(contact_line("fp", replayed) + " --draft", replayed), (contact_line("fp", kept) + " --draft", kept)]
    more = _script(v, later)
    text.update(more)
    first_draft, second_draft = list(more)[2], list(more)[3]
    # the replay source: a copy taken between the draft's first save and its last
    older = os.path.join(work, "older")
    copy_vault(v.home, older)
    v.run("drafts", "--resume", first_draft, check=True)
    v.run("status", check=True)                   # a clean close: checkpointed
    master = os.path.join(work, "master")
    copy_vault(v.home, master)
    shutil.copyfile(v.config, os.path.join(work, "master.config.toml"))
    _, out, _ = v.run("user", "list", "--json", check=True)
    people = {u["alias"]: u["id"].lower() for u in json.loads(out)}
    m = {"dir": master, "db": os.path.join(master, "vault.sqlite"), "config": os.path.join(work, "master.config.toml"),
         "older": os.path.join(older, "vault.sqlite"), "people": people,
         "alias": {sid: a for a, sid in people.items()}}
    con = sqlite3.connect(m["db"])
    try:
        recs = {}
        for rid, kind, subject, state in con.execute("SELECT id, kind, subject_id, state FROM record"):
            recs[rid] = {"id": rid, "kind": kind, "subject": subject, "state": state, "route": None,
                         "text": text.get(rid[:8]), "alias": m["alias"].get(subject)}
        for rid, st in con.execute("SELECT record_id, state FROM outbox"):
            recs[rid]["route"] = st
        for (rid,) in con.execute("SELECT record_id FROM held"):
            recs[rid]["route"] = "held"
        m["audit"] = [r[0] for r in con.execute("SELECT seq FROM audit ORDER BY seq")]
        m["triggers"] = con.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type='trigger'").fetchall()
    finally:
        con.close()
    m["records"] = recs
    m["replay"] = next(r for r in recs if r.startswith(first_draft))
    m["draft"] = next(r for r in recs if r.startswith(second_draft))
    return m


# --------------------------------------------------------------------------------------
# Edits. Each takes (con, m, rng, n) on a copy with its triggers in place, edits it the
# way someone with the file would (dropping a trigger that forbids the edit and putting
# it back exactly, from sqlite_master), and returns what the trial must then see:
#   what    the edit, for the notes
#   target  the record it is about (never to be sent), or None
#   named   strings, one of which `check` (or the refusing command) must name
#   view    how (b) is judged: "history" (of `people`), "queue", "audit", "refuse", "sync"
def _without_triggers(con, table, fn):
    """Runs fn with the triggers that forbid edits to `table` dropped (those that RAISE);
    the ones that keep the tallies go on firing, as a careful editor would leave them."""
    trig = con.execute("SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name=? AND sql LIKE '%RAISE(%'",
                       (table,)).fetchall()
    for name, _ in trig:
        con.execute('DROP TRIGGER "%s"' % name)
    fn()
    for _, sql in trig:
        con.execute(sql)


def _flip(blob, rng):
    b = bytearray(blob)
    i = rng.randrange(len(b))
    b[i] ^= rng.randrange(1, 256)
    return bytes(b)


def _pick(m, rng, **want):
    """A random record of the master matching every key=value (a value may be a tuple)."""
    rows = [r for r in m["records"].values()
            if all(r[k] in (v if isinstance(v, tuple) else (v,)) for k, v in want.items())]
    return rng.choice(sorted(rows, key=lambda r: r["id"]))


def _shift(ts, minutes):
    """An ISO timestamp moved by some minutes, same format (a string edit, as a person would)."""
    import datetime
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if "." in ts else "%Y-%m-%dT%H:%M:%SZ"
    d = datetime.datetime.strptime(ts, fmt) + datetime.timedelta(minutes=minutes)
    out = d.strftime(fmt)
    return out[:len(ts) - 1] + "Z" if "." in ts else out


def _record_edit(column, value_fn, **want):
    """An edit of one clear column of one record row."""
    def edit(con, m, rng, n):
        r = _pick(m, rng, **want)
        old = con.execute('SELECT "%s" FROM record WHERE id=?' % column, (r["id"],)).fetchone()[0]
        new, extra = value_fn(con, m, rng, r, old)
        sets = {column: new}
        sets.update(extra)
        _without_triggers(con, "record", lambda: con.execute(
            "UPDATE record SET %s WHERE id=?" % ", ".join('"%s"=?' % c for c in sets), (*sets.values(), r["id"])))
        people = [r["alias"]]
        if column == "subject_id":
            people = [m["alias"][new]]
        return {"what": "record %s (%s, %s) %s: %r -> %r" % (r["id"][:8], r["kind"], r["route"], column,
                                                            _short(old), _short(new)),
                "target": r["id"], "named": ["record " + r["id"][:8]], "view": "history", "people": people,
                "text": r["text"]}
    return edit


def _short(v):
    if isinstance(v, bytes):
        return "%d bytes" % len(v)
    return v


SHOWN = dict(kind=("contact", "consent"), state="final")       # records `history` shows


def _other_person(con, m, rng, r, old):
    return rng.choice(sorted(s for s in m["people"].values() if s != old)), {}


def _new_uuid(con, m, rng, r, old):
    return str(uuid.UUID(int=rng.getrandbits(128), version=4)), {}


def _other_role(con, m, rng, r, old):
    return rng.choice([x for x in ("police", "substance-misuse", "clinician") if x != old]), {}


def _time_shift(con, m, rng, r, old):
    return _shift(old, rng.choice([-1, 1]) * rng.randrange(1, 60 * 24 * 30)), {}


def _state(con, m, rng, r, old):
    # final -> draft (the CHECK wants finalised_at cleared with it); draft -> final
    if old == "final":
        return "draft", {"finalised_at": None}
    return "final", {"finalised_at": con.execute("SELECT updated_at FROM record WHERE id=?", (r["id"],)).fetchone()[0]}


def _plus_one(con, m, rng, r, old):
    return old + rng.randrange(1, 4), {}


def _amends(con, m, rng, r, old):
    others = sorted(x["id"] for x in m["records"].values()
                    if x["state"] == "final" and x["id"] != r["id"] and x["kind"] == r["kind"])
    return rng.choice(others), {}


def _kind(con, m, rng, r, old):
    return rng.choice([k for k in ("contact", "risk", "top", "consent", "boundary") if k != old]), {}


def _flip_value(con, m, rng, r, old):
    return _flip(old, rng), {}


def _replay_body(con, m, rng, r, old):
    older = sqlite3.connect(m["older"])
    try:
        body = older.execute("SELECT body FROM record WHERE id=?", (r["id"],)).fetchone()[0]
    finally:
        older.close()
    return body, {}


def _state_edit(con, m, rng, n):
    # alternate: a final record made a draft, the draft made final
    want = dict(kind=("contact", "consent"), state="final") if n % 2 == 0 else dict(state="draft")
    return _record_edit("state", _state, **want)(con, m, rng, n)


# -- outbox rows
def _outbox_edit(describe, sets_fn, **want):
    def edit(con, m, rng, n):
        r = _pick(m, rng, **want)
        sets = sets_fn(con, m, rng, r)
        _without_triggers(con, "outbox", lambda: con.execute(
            "UPDATE outbox SET %s WHERE record_id=? AND destination=?" % ", ".join('"%s"=?' % c for c in sets),
            (*sets.values(), r["id"], DEST)))
        return {"what": "outbox row of %s (%s): %s" % (r["id"][:8], r["route"], describe), "target": r["id"],
                "named": [r["id"][:8]], "view": "queue", "people": [r["alias"]], "text": r["text"]}
    return edit


def _to_delivered(con, m, rng, r):
    return {"state": "delivered", "server_id": "Encounter/" + r["id"], "server_version": "1",
            "delivered_at": con.execute("SELECT queued_at FROM outbox WHERE record_id=?", (r["id"],)).fetchone()[0]}


def _to_pending(con, m, rng, r):
    return {"state": "pending", "server_id": None, "server_version": None, "delivered_at": None}


def _server_id(con, m, rng, r):
    sid = con.execute("SELECT server_id FROM outbox WHERE record_id=?", (r["id"],)).fetchone()[0]
    return {"server_id": sid[:-4] + "%04x" % rng.randrange(1 << 16)}


def _queued_at(con, m, rng, r):
    old = con.execute("SELECT queued_at FROM outbox WHERE record_id=?", (r["id"],)).fetchone()[0]
    return {"queued_at": _shift(old, -rng.randrange(1, 600))}


def _outbox_mac(con, m, rng, r):
    return {"mac": _flip(con.execute("SELECT mac FROM outbox WHERE record_id=?", (r["id"],)).fetchone()[0], rng)}


def _held_to_outbox(con, m, rng, n):
    """A held record put in the outbox: its held row deleted, an outbox row inserted (with
    the MAC of another, genuine pending row, or none)."""
    r = _pick(m, rng, route="held")
    donor = con.execute("SELECT queued_at, mac FROM outbox WHERE state='pending' ORDER BY record_id LIMIT 1").fetchone()
    mac = donor[1] if n % 2 == 0 else None

    def go():
        con.execute("DELETE FROM held WHERE record_id=? AND destination=?", (r["id"], DEST))
        con.execute("INSERT INTO outbox (record_id, destination, state, queued_at, attempts, mac) VALUES (?, ?, 'pending', ?, 0, ?)",
                    (r["id"], DEST, donor[0], mac))
    _without_triggers(con, "held", lambda: _without_triggers(con, "outbox", go))
    return {"what": "held record %s (%s of %s) moved to the outbox (%s)" % (r["id"][:8], r["kind"], r["alias"],
                                                                         "a copied MAC" if mac else "no MAC"),
            "target": r["id"], "named": [r["id"][:8]], "view": "queue", "people": [r["alias"]], "text": r["text"]}


def _forged_outbox(con, m, rng, n):
    """An outbox row that Satchel never wrote: for the draft (n even) or for a held record
    beside its held row (n odd), with a genuine row's MAC copied in."""
    r = m["records"][m["draft"]] if n % 2 == 0 else _pick(m, rng, route="held")
    donor = con.execute("SELECT queued_at, mac FROM outbox WHERE state='pending' ORDER BY record_id LIMIT 1").fetchone()
    _without_triggers(con, "outbox", lambda: con.execute(
        "INSERT INTO outbox (record_id, destination, state, queued_at, attempts, mac) VALUES (?, ?, 'pending', ?, 0, ?)",
        (r["id"], DEST, donor[0], donor[1])))
    return {"what": "forged outbox row for %s (%s %s of %s)" % (r["id"][:8], r["state"], r["kind"], r["alias"]),
            "target": r["id"], "named": [r["id"][:8]], "view": "queue", "people": [r["alias"]], "text": r["text"]}


# -- held rows
def _held_edit(describe, fn):
    def edit(con, m, rng, n):
        r = _pick(m, rng, route="held")
        fn(con, m, rng, r, n)
        return {"what": "held row of %s (%s of %s): %s" % (r["id"][:8], r["kind"], r["alias"], describe),
                "target": r["id"], "named": [r["id"][:8]], "view": "queue", "people": [r["alias"]], "text": r["text"]}
    return edit


def _held_reason(con, m, rng, r, n):
    old = con.execute("SELECT reason FROM held WHERE record_id=?", (r["id"],)).fetchone()[0]
    if n % 2 == 0:      # one base64 character of the sealed reason changed
        head, b64 = old.split(":", 1)
        i = rng.randrange(len(b64.rstrip("=")))
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        new = head + ":" + b64[:i] + rng.choice([c for c in alphabet if c != b64[i]]) + b64[i + 1:]
    else:               # another row's sealed reason swapped in
        new = con.execute("SELECT reason FROM held WHERE record_id<>? ORDER BY record_id LIMIT 1", (r["id"],)).fetchone()[0]
    _without_triggers(con, "held", lambda: con.execute("UPDATE held SET reason=? WHERE record_id=?", (new, r["id"])))


def _held_at(con, m, rng, r, n):
    old = con.execute("SELECT held_at FROM held WHERE record_id=?", (r["id"],)).fetchone()[0]
    _without_triggers(con, "held", lambda: con.execute("UPDATE held SET held_at=? WHERE record_id=?",
                                                       (_shift(old, -rng.randrange(1, 600)), r["id"])))


def _held_delete(con, m, rng, r, n):
    _without_triggers(con, "held", lambda: con.execute("DELETE FROM held WHERE record_id=?", (r["id"],)))


# -- the vault row (header)
def _header_edit(column, value_fn, named):
    def edit(con, m, rng, n):
        old = con.execute('SELECT "%s" FROM vault' % column).fetchone()[0]
        new = value_fn(old, rng, n)
        con.execute('UPDATE vault SET "%s"=?' % column, (new,))
        return {"what": "vault header %s: %r -> %r" % (column, _short(old), _short(new)), "target": None,
                "named": named, "view": "refuse", "forbid_all": True}
    return edit


def _kdf_edit(con, m, rng, n):
    column = ["kdf_opslimit", "kdf_memlimit", "kdf_salt", "kdf_algorithm"][n % 4]
    values = {"kdf_opslimit": lambda o, r, n: o + 1, "kdf_memlimit": lambda o, r, n: o // 2,
              "kdf_salt": lambda o, r, n: _flip(o, r), "kdf_algorithm": lambda o, r, n: "argon2i13"}
    e = _header_edit(column, values[column], ["header", "key settings", "key-derivation"])(con, m, rng, n)
    # A changed salt or raised limits give another key-encryption key: no key opens the
    # vault, so nothing can tell the edit from a wrong passphrase (docs/security.md). The
    # refusal (77, or 70 below the floor) must name the header's key settings as a cause.
    e["refused_with"] = (70, 77)
    return e


# -- the audit anchor and log
def _audit_result(what):
    return {"what": what, "target": None, "named": ["audit log"], "view": "audit"}


def _anchor_zero(con, m, rng, n):
    con.execute("UPDATE vault SET anchor_seq=0" + (", anchor_mac=NULL" if n % 2 else ""))
    return _audit_result("anchor_seq = 0" + (" and anchor_mac removed" if n % 2 else ""))


def _anchor_lowered(con, m, rng, n):
    old = con.execute("SELECT anchor_seq FROM vault").fetchone()[0]
    new = rng.randrange(1, old)
    con.execute("UPDATE vault SET anchor_seq=?", (new,))
    return _audit_result("anchor_seq %d -> %d" % (old, new))


def _anchor_mac(con, m, rng, n):
    con.execute("UPDATE vault SET anchor_mac=?", (_flip(con.execute("SELECT anchor_mac FROM vault").fetchone()[0], rng),))
    return _audit_result("anchor_mac flipped")


def _audit_entry_edit(con, m, rng, n):
    seq = rng.choice(m["audit"])
    cols = [c for c in AUDIT_COLS
            if con.execute('SELECT "%s" IS NOT NULL AND length("%s") > 0 FROM audit WHERE seq=?' % (c, c), (seq,)).fetchone()[0]]
    col = rng.choice(cols)
    val = con.execute('SELECT "%s" FROM audit WHERE seq=?' % col, (seq,)).fetchone()[0]
    if isinstance(val, bytes):
        new = _flip(val, rng)
    elif col == "action":     # a plausible word, not noise
        new = rng.choice([a for a in ("view", "deliver", "finalise", "create", "export") if a != val])
    else:
        b = bytearray(val.encode())
        i = rng.randrange(len(b))
        b[i] = rng.choice([c for c in b"0123456789abcdef" if c != b[i]])
        new = b.decode()
    _without_triggers(con, "audit", lambda: con.execute('UPDATE audit SET "%s"=? WHERE seq=?' % col, (new, seq)))
    return _audit_result("audit entry %d %s edited" % (seq, col))


def _audit_entry_delete(con, m, rng, n):
    # the last entry in one trial of three (a log cut short), any other entry otherwise
    seq = m["audit"][-1] if n % 3 == 0 else rng.choice(m["audit"][:-1])
    _without_triggers(con, "audit", lambda: con.execute("DELETE FROM audit WHERE seq=?", (seq,)))
    return _audit_result("audit entry %d of %d deleted" % (seq, len(m["audit"])))


def _canonical(fields):
    out = b"satchel/audit/v1"
    for f in fields:
        b = (f if f is not None else "\0").encode()
        out += b"%d:" % len(b) + b + b";"
    return out


def _audit_rewrite(con, m, rng, n):
    """The whole chain rewritten consistently from one edited entry on: every hash made
    again (the chain is plain SHA-256; only the anchor's MAC is keyed). Variants: an entry
    edited, an entry removed and the rest renumbered, the log cut short with the anchor
    moved back by hand."""
    rows = con.execute("SELECT seq, at, action, actor_id, record_id, detail FROM audit ORDER BY seq").fetchall()
    seq = rng.choice([r[0] for r in rows[1:]])
    variant = n % 3
    if variant == 0:
        rows = [(s, at, "view" if s == seq and act != "view" else ("export" if s == seq else act), a, r, d)
                for s, at, act, a, r, d in rows]
        what = "entry %d edited" % seq
    elif variant == 1:
        rows = [r for r in rows if r[0] != seq]
        rows = [(i + 1,) + tuple(r[1:]) for i, r in enumerate(rows)]
        what = "entry %d removed and the rest renumbered" % seq
    else:
        rows = [r for r in rows if r[0] < seq]
        what = "cut short after entry %d, anchor_seq set to it" % (seq - 1)

    def go():
        con.execute("DELETE FROM audit")
        prev = bytes(32)
        for s, at, act, a, r, d in rows:
            h = hashlib.sha256(prev + _canonical([str(s), at, act, a, r, d])).digest()
            con.execute("INSERT INTO audit (seq, at, action, actor_id, record_id, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?)",
                        (s, at, act, a, r, d, prev, h))
            prev = h
        if variant == 2:
            con.execute("UPDATE vault SET anchor_seq=?", (rows[-1][0],))
    _without_triggers(con, "audit", go)
    return _audit_result("chain rewritten consistently: " + what)


# -- the schema
PLANTED = [
    ("held_goes_out", """CREATE TRIGGER held_goes_out AFTER INSERT ON held BEGIN
    DELETE FROM held WHERE record_id = NEW.record_id AND destination = NEW.destination;
    INSERT INTO outbox (record_id, destination, state, queued_at) VALUES (NEW.record_id, NEW.destination, 'pending', NEW.held_at);
END"""),
    ("tally_held_route", """CREATE TRIGGER tally_held_route BEFORE INSERT ON held BEGIN
    INSERT INTO outbox (record_id, destination, state, queued_at) VALUES (NEW.record_id, NEW.destination, 'pending', NEW.held_at);
    SELECT RAISE(IGNORE);
END"""),
]


def _planted_trigger(con, m, rng, n):
    name, sql = PLANTED[n % len(PLANTED)]
    con.execute(sql)
    return {"what": "planted trigger %s (every future held insert becomes an outbox row)" % name, "target": None,
            "named": [name], "view": "refuse", "new_held": True}


def _dropped_trigger(con, m, rng, n):
    name = rng.choice(sorted(t[0] for t in m["triggers"]))
    con.execute('DROP TRIGGER "%s"' % name)
    return {"what": "trigger %s dropped" % name, "target": None, "named": [name], "view": "refuse"}


# -- config.toml
def _config_url(text, m, ctx, rng, n):
    other = ctx["other"]
    out = []
    for line in text.splitlines():
        if line.startswith("url = "):
            line = 'url = "%s"' % other.base
        elif line.startswith("ca-file = "):
            line = 'ca-file = "%s"' % other.ca
        out.append(line)
    return "\n".join(out) + "\n", "url (and ca-file) pointed at another fixture server", {"allow": set(), "other": True}


def _config_agency(text, m, ctx, rng, n):
    new = ['agency = ["%s", "%s"]' % (DEST, ELSEWHERE), 'agency = ["%s"]' % ELSEWHERE][n % 2]
    out = [new if line.startswith("agency = ") else line for line in text.splitlines()]
    fr = {r["id"] for r in m["records"].values() if r["alias"] == "fr"}
    return "\n".join(out) + "\n", "agency names changed: " + new, {"forbid": fr}


def _replayed_body(con, m, rng, n):
    return _record_edit("body", _replay_body, id=m["replay"])(con, m, rng, n)


ANY = dict(kind=("contact", "consent", "service-user"), state="final")

# (category, edit). A config edit's function takes the file's text instead of the database.
# a clear column of a record row shown by `history`, and how it is changed
RECORD_COLUMNS = [("subject_id", _other_person), ("author_id", _new_uuid), ("author_role", _other_role),
                  ("created_at", _time_shift), ("updated_at", _time_shift), ("state", None),
                  ("finalised_at", _time_shift), ("form_version", _plus_one), ("amends_id", _amends),
                  ("key_version", _plus_one), ("kind", _kind)]
CATEGORIES = [("record " + c + (" -> another person" if c == "subject_id" else ""),
               _record_edit(c, f, **SHOWN) if f else _state_edit) for c, f in RECORD_COLUMNS] + [
    ("record mac", _record_edit("mac", _flip_value, **ANY)),
    ("record body, a byte flipped", _record_edit("body", _flip_value, **ANY)),
    ("record body, replayed from an older copy", _replayed_body),
    ("outbox state pending -> delivered", _outbox_edit("state pending -> delivered", _to_delivered, route="pending")),
    ("outbox state delivered -> pending", _outbox_edit("state delivered -> pending", _to_pending, route="delivered")),
    ("outbox server_id", _outbox_edit("server_id changed", _server_id, route="delivered")),
    ("outbox queued_at", _outbox_edit("queued_at moved", _queued_at, route="pending")),
    ("outbox row for a held record (held row deleted)", _held_to_outbox),
    ("outbox row forged", _forged_outbox),
    ("outbox mac", _outbox_edit("mac flipped", _outbox_mac, route=("pending", "delivered"))),
    ("held reason", _held_edit("sealed reason changed", _held_reason)),
    ("held held_at", _held_edit("held_at moved", _held_at)),
    ("held row deleted", _held_edit("deleted", _held_delete)),
    ("vault role", _header_edit("role", lambda o, r, n: "police" if o != "police" else "clinician", ["role"])),
    ("vault worker_id", _header_edit("worker_id", lambda o, r, n: str(uuid.UUID(int=r.getrandbits(128), version=4)),
                                     ["header", "worker"])),
    ("vault kdf settings", _kdf_edit),
    ("vault created_at", _header_edit("created_at", lambda o, r, n: _shift(o, -r.randrange(1, 10000)), ["header"])),
    ("audit anchor_seq = 0", _anchor_zero),
    ("audit anchor_seq lowered", _anchor_lowered),
    ("audit anchor_mac", _anchor_mac),
    ("audit entry edited", _audit_entry_edit),
    ("audit entry deleted", _audit_entry_delete),
    ("audit chain rewritten consistently", _audit_rewrite),
    ("schema: trigger planted", _planted_trigger),
    ("schema: trigger dropped", _dropped_trigger),
    ("config.toml url -> another server", _config_url),
    ("config.toml agency names", _config_agency),
]
CONFIG_EDITS = {_config_url, _config_agency}


# --------------------------------------------------------------------------------------
# Trials
class Worker:
    """One fixture server (plus another for the changed-URL edit), one used vault built
    against it, and a trial directory; trials run one at a time on it."""

    def __init__(self, work, seed):
        self.work = work
        self.srv = Server(work)
        self.other = Server(work)
        self.m = build_master(work, self.srv, random.Random(seed))
        self.tv = vault(work, name="trial")
        self.crashes = 0
        self.control = None

    def stop(self):
        self.srv.stop()
        self.other.stop()

    def _run(self, *args, stdin_text=None):
        rc, out, err = self.tv.run(*args, stdin_text=stdin_text, timeout=300)
        if is_crash(rc, err):
            self.crashes += 1
            log("crash: satchel %s rc=%s %s" % (" ".join(args), rc, err[-300:]))
        return rc, out, err

    def fresh_copy(self):
        home = self.tv.home
        shutil.rmtree(home, ignore_errors=True)
        os.makedirs(home, mode=0o700)
        db = os.path.join(home, "vault.sqlite")
        shutil.copyfile(self.m["db"], db)
        os.chmod(db, 0o600)
        shutil.copyfile(self.m["config"], self.tv.config)
        os.chmod(self.tv.config, 0o600)
        return db

    def arrivals(self, srv):
        return [a.get("id") for a in srv.ctl("/arrivals").get("arrivals", [])]

    def trial(self, category, fn, n, rng):
        """One edit and the three questions. Returns a result dict."""
        db = self.fresh_copy()
        m = self.m
        if fn is None:
            e = {"what": "no edit (control)", "target": None, "named": [], "view": "control"}
            allow = None
        elif fn in CONFIG_EDITS:
            text, what, how = fn(open(self.tv.config).read(), m, {"other": self.other}, rng, n)
            with open(self.tv.config, "w") as f:
                f.write(text)
            e = {"what": what, "target": None, "named": ["changed since you confirmed"], "view": "sync", "config": how}
        else:
            con = sqlite3.connect(db)
            try:
                e = fn(con, m, rng, n)
                con.commit()
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            finally:
                con.close()
        for suffix in ("-wal", "-shm"):      # as an editor careful to leave the modes satchel wants
            if os.path.exists(db + suffix):
                os.chmod(db + suffix, 0o600)
        # (c) check names it (config edits: sync must)
        res = {"category": category, "what": e["what"], "sent": True, "shown": True, "named": True, "why": []}
        findings, check_text = None, ""
        if "config" not in e:
            rc, out, err = self._run("check", "--json")
            check_text = out + err
            try:
                findings = json.loads(out) if out.strip() else None
            except ValueError:
                findings = None
            if fn is None:
                ok = rc == 0 and findings == []
            elif findings:       # a list: one of its findings names the thing
                ok = rc == 70 and any(any(s in f.get("what", "") for s in e["named"]) for f in findings)
            else:                # refused before checking (unlock or open): its message names it
                ok = rc in e.get("refused_with", (70,)) and any(s.lower() in err.lower() for s in e["named"])
            if not ok:
                res["named"] = False
                res["why"].append("check rc=%d %s" % (rc, check_text.strip().replace("\n", " ")[:200]))
        # (a) sync sends nothing it should not
        for s in (self.srv, self.other):
            s.ctl("/reset", {"data": True})
        if e.get("new_held"):
            # a new record for fq (no consent: it must be held) before the sync
            self._run(stdin_text=contact_line("fq", "T6-held-after-plant-%d" % n) + "\n")
        rc, out, err = self._run("sync", "--json")
        sent_here, sent_other = self.arrivals(self.srv), self.arrivals(self.other)
        if fn is None:
            allow = set(sent_here)
            if rc != 0 or not allow or sent_other:
                raise RuntimeError("control trial: sync rc=%d, sent %d, to the other server %d: %s" %
                                   (rc, len(allow), len(sent_other), (out + err)[-300:]))
            self.control = allow
        else:
            allow = set(self.control)
            how = e.get("config", {})
            if e.get("forbid_all"):
                allow = set()
            allow -= {e["target"]} | how.get("forbid", set())
            bad = [x for x in sent_here if x not in allow] + list(sent_other)
            if bad:
                res["sent"] = False
                res["why"].append("sync rc=%d sent %d it should not (%s)" % (rc, len(bad), ", ".join(sorted({(x or "?")[:8] for x in bad}))))
            if "config" in e:
                msg = out + err
                if not ("changed since you confirmed" in msg and "destination confirm" in msg):
                    res["named"] = False
                    res["why"].append("sync rc=%d did not say the destination changed since it was confirmed: %s"
                                      % (rc, msg.strip().replace("\n", " ")[:160]))
                try:
                    delivered = sum(d.get("delivered", 0) for d in json.loads(out))
                except (ValueError, AttributeError):
                    delivered = 0
                if delivered:   # (b) for a config edit: nothing reported delivered through it
                    res["shown"] = False
                    res["why"].append("sync reported %d delivered through the changed destination" % delivered)
        # (b) nothing shown as valid
        view = e["view"]
        if view in ("history", "control"):
            people = e.get("people", ["fp"])
            for alias in people:
                rc, out, err = self._run("history", alias)
                text = e.get("text")
                if fn is None:
                    want = [r["text"] for r in m["records"].values() if r["alias"] == alias and r["state"] == "final" and r["text"]]
                    if rc != 0 or not all(w in out for w in want):
                        raise RuntimeError("control trial: history %s rc=%d %s" % (alias, rc, (out + err)[-300:]))
                elif (text and text in out) or rc != 70:
                    res["shown"] = False
                    res["why"].append("history %s rc=%d%s" % (alias, rc, ", shows the edited record's text" if text and text in out else ""))
        elif view == "queue":
            rc, out, err = self._run("queue", "--json")
            ok = rc == 70
            if not ok:
                try:
                    items = [i for d in json.loads(out) for i in d.get("items", [])]
                except (ValueError, AttributeError):
                    items = []
                mine = [i for i in items if i.get("record") == e["target"][:8]]
                # the row is shown, and marked (a state or reason that says it was changed)
                ok = bool(mine) and all("outside Satchel" in json.dumps(i) or i.get("intact") is False for i in mine)
            if not ok:
                res["shown"] = False
                res["why"].append("queue rc=%d does not mark %s" % (rc, e["target"][:8]))
        elif view == "audit":
            rc, out, err = self._run("audit", "verify")
            if rc != 70:
                res["shown"] = False
                res["why"].append("audit verify rc=%d %s" % (rc, (out + err).strip()[:120]))
        elif view == "refuse":
            rc, out, err = self._run("history", "fp")
            texts = [r["text"] for r in m["records"].values() if r["text"]]
            if rc not in e.get("refused_with", (70,)) or any(t in out for t in texts):
                res["shown"] = False
                res["why"].append("history fp rc=%d%s" % (rc, " and shows records" if any(t in out for t in texts) else ""))
        res["detected"] = res["sent"] and res["shown"] and res["named"]
        return res


def tamper(work, per_category, jobs=2, seed=6, only=None):
    """per_category trials of every category (or of those named in `only`), spread over
    `jobs` workers, each with its own server and used vault. Returns (rows, notes, crashes)
    where rows are (category, trials, detected, missed, first miss)."""
    cats = [(i, c, f) for i, (c, f) in enumerate(CATEGORIES) if not only or c in only]
    plan = [(i, c, f, n) for n in range(per_category) for i, c, f in cats]
    workers = []
    try:
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            workers = list(pool.map(lambda k: Worker(os.path.join(work, "w%d" % k), seed * 100 + k), range(jobs)))
            for w in workers:        # each worker's untouched copy: the baseline of what a sync sends
                w.trial("control", None, 0, random.Random(seed))
            wrong_rc = workers[0].tv.run("status", wrong=True, timeout=300)[0]
            lock = threading.Lock()
            results = []
            journal = open(os.path.join(work, "trials.jsonl"), "a")     # every result as it comes

            def run(w, share):
                for i, c, f, n in share:
                    r = w.trial(c, f, n, random.Random("%d/%d/%d" % (seed, i, n)))
                    with lock:
                        results.append(r)
                        journal.write(json.dumps(r) + "\n")
                        journal.flush()
                        if len(results) % len(cats) == 0:
                            log("%d of %d edits done" % (len(results), len(plan)))
                        if not r["detected"]:
                            log("MISSED %s: %s: %s" % (c, r["what"], "; ".join(r["why"])))
            list(pool.map(lambda k: run(workers[k], plan[k::jobs]), range(jobs)))
    finally:
        for w in workers:
            w.stop()
    journal.close()
    rows = []
    for i, c, f in cats:
        mine = [r for r in results if r["category"] == c]
        det = sum(1 for r in mine if r["detected"])
        miss = [r for r in mine if not r["detected"]]
        parts = {"sent": sum(1 for r in mine if not r["sent"]), "shown": sum(1 for r in mine if not r["shown"]),
                 "named": sum(1 for r in mine if not r["named"])}
        rows.append({"category": c, "trials": len(mine), "detected": det, "missed": len(miss), "failed": parts,
                     "example": (miss[0]["what"] + ": " + "; ".join(miss[0]["why"])) if miss else ""})
    return rows, sum(w.crashes for w in workers), wrong_rc
