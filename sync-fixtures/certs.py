"""Throwaway certificates for the fixture server, made with the `openssl` CLI.

Every start generates a fresh CA and a server certificate in the state
directory. The variant decides what the server presents:

  normal      server cert signed by the throwaway CA, SAN IP:127.0.0.1 + DNS:localhost
  tls1.0      same certificate as `normal` (the variant is about protocol versions)
  self-signed a self-signed server cert the CA knows nothing about
  expired     signed by the CA, but valid only in 2020
  wrong-host  signed by the CA, but only for DNS:wrong-host.invalid
  client-cert same certificate as `normal`, and the server requires a client
              certificate from the CA (mutual TLS); one is made in the state
              directory (client.pem, client.key) for the client that has it
  client-cert-tls1.2  the same, with TLS 1.2 at most (the refusal is a handshake alert)

The CA PEM is always written (clients should trust it); for the broken
variants a verifying client that trusts the CA must still refuse.
"""

import base64
import os
import subprocess

VARIANTS = ("normal", "self-signed", "expired", "wrong-host", "tls1.0", "client-cert", "client-cert-tls1.2")


class CertError(RuntimeError):
    pass


def _openssl(*args, cwd=None, stdin=None):
    proc = subprocess.run(["openssl", *args], cwd=cwd, input=stdin,
                          capture_output=True)
    if proc.returncode != 0:
        raise CertError("openssl %s failed: %s" % (
            " ".join(args[:2]), proc.stderr.decode(errors="replace").strip()))
    return proc.stdout


def _new_key(path):
    # EC P-256: fast to generate and accepted by every TLS stack we care about.
    _openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path)


_CA_CONF = """\
[ ca ]
default_ca = fixture_ca
[ fixture_ca ]
dir = {d}
database = {d}/index.txt
new_certs_dir = {d}/newcerts
serial = {d}/serial
default_md = sha256
policy = any_policy
copy_extensions = none
unique_subject = no
[ any_policy ]
commonName = supplied
[ server_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = {san}
[ client_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
"""


def _sign_with_ca(d, ca_cert, ca_key, csr, out, san, startdate, enddate, extensions="server_ext"):
    conf = os.path.join(d, "ca.cnf")
    os.makedirs(os.path.join(d, "newcerts"), exist_ok=True)
    open(os.path.join(d, "index.txt"), "w").close()
    with open(os.path.join(d, "serial"), "w") as f:
        f.write(os.urandom(8).hex().upper() + "\n")
    with open(conf, "w") as f:
        f.write(_CA_CONF.format(d=d, san=san))
    _openssl("ca", "-batch", "-config", conf, "-cert", ca_cert, "-keyfile", ca_key,
             "-in", csr, "-out", out, "-extensions", extensions, "-notext",
             "-startdate", startdate, "-enddate", enddate)


def spki_pin(cert_path):
    """libcurl CURLOPT_PINNEDPUBLICKEY format: sha256//<base64 of SHA-256(SPKI DER)>."""
    pub = _openssl("x509", "-in", cert_path, "-pubkey", "-noout")
    der = _openssl("pkey", "-pubin", "-outform", "DER", stdin=pub)
    import hashlib
    return "sha256//" + base64.b64encode(hashlib.sha256(der).digest()).decode()


def generate(state_dir, variant="normal"):
    """Create CA + server cert for `variant`. Returns dict of paths and pin."""
    if variant not in VARIANTS:
        raise CertError("unknown TLS variant %r (choose from %s)" % (variant, ", ".join(VARIANTS)))
    d = os.path.abspath(os.path.join(state_dir, "tls"))
    os.makedirs(d, exist_ok=True)
    ca_key, ca_cert = os.path.join(d, "ca.key"), os.path.join(d, "ca.pem")
    srv_key, srv_csr = os.path.join(d, "server.key"), os.path.join(d, "server.csr")
    srv_cert = os.path.join(d, "server.pem")

    _new_key(ca_key)
    _openssl("req", "-x509", "-new", "-key", ca_key, "-sha256", "-days", "30",
             "-subj", "/CN=Satchel Sync Fixture Throwaway CA",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign",
             "-out", ca_cert)
    _new_key(srv_key)

    good_san = "IP:127.0.0.1,DNS:localhost"
    if variant == "self-signed":
        _openssl("req", "-x509", "-new", "-key", srv_key, "-sha256", "-days", "30",
                 "-subj", "/CN=127.0.0.1",
                 "-addext", "subjectAltName=" + good_san, "-out", srv_cert)
    else:
        cn = "wrong-host.invalid" if variant == "wrong-host" else "127.0.0.1"
        _openssl("req", "-new", "-key", srv_key, "-subj", "/CN=" + cn, "-out", srv_csr)
        if variant == "expired":
            start, end = "20200101000000Z", "20200201000000Z"
        else:
            start, end = _utc_offset(-3600), _utc_offset(30 * 86400)
        san = "DNS:wrong-host.invalid" if variant == "wrong-host" else good_san
        _sign_with_ca(d, ca_cert, ca_key, srv_csr, srv_cert, san, start, end)

    paths = {"dir": d, "ca": ca_cert, "cert": srv_cert, "key": srv_key,
             "pin": spki_pin(srv_cert), "variant": variant}
    if variant.startswith("client-cert"):
        cli_key, cli_csr = os.path.join(d, "client.key"), os.path.join(d, "client.csr")
        cli_cert = os.path.join(d, "client.pem")
        _new_key(cli_key)
        _openssl("req", "-new", "-key", cli_key, "-subj", "/CN=Satchel Test Client", "-out", cli_csr)
        _sign_with_ca(d, ca_cert, ca_key, cli_csr, cli_cert, good_san, _utc_offset(-3600), _utc_offset(30 * 86400),
                      extensions="client_ext")
        paths.update(client_cert=cli_cert, client_key=cli_key)
    return paths


def _utc_offset(seconds):
    import datetime
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)
    return t.strftime("%Y%m%d%H%M%SZ")


def server_context(paths, variant):
    """ssl.SSLContext for the server side of `variant`."""
    import ssl
    import warnings
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(paths["cert"], paths["key"])
    if variant == "tls1.0":
        # OpenSSL 3 refuses TLS 1.0/1.1 at the default security level 1 (SHA-1
        # handshake signatures); level 0 re-enables it. If the local OpenSSL
        # was built without TLS 1.0/1.1 this raises and the server exits.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
            ctx.minimum_version = ssl.TLSVersion.TLSv1
            ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    else:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if variant == "client-cert-tls1.2":
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    if variant.startswith("client-cert"):
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(paths["ca"])
    return ctx
