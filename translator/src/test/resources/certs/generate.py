#!/usr/bin/env python3
"""Generates the test certificates and Secret manifests used by translator tests and goldens.

Validity is fixed around the goldens' translation instant (GoldenTest.CONTEXT, 2026-06-01):
most certificates are valid 2026-01-01..2031-01-01, `expired` ended 2026-05-01 and `expiring`
ends 2026-06-05 (within the 7-day warning window). Keys are EC P-256 (short PEM) except one RSA
key in PKCS#1 form, to exercise the other PEM flavour. Re-running makes new keys: the goldens
that embed these secrets must then be regenerated, so don't, unless you need new material.

    python3 generate.py   # writes *.pem and secrets/*.yaml next to this script
"""
import base64, datetime, os
from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

HERE = os.path.dirname(os.path.abspath(__file__))
D = lambda s: datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc)
VALID = (D("2026-01-01"), D("2031-01-01"))

def key_ec():
    return ec.generate_private_key(ec.SECP256R1())

def cert(cn, key, issuer_cert, issuer_key, validity, ca=False, dns=(), uris=(), serial=None, usage=None):
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    b = (x509.CertificateBuilder().subject_name(subject)
         .issuer_name(issuer_cert.subject if issuer_cert else subject)
         .public_key(key.public_key()).serial_number(serial or x509.random_serial_number())
         .not_valid_before(validity[0]).not_valid_after(validity[1])
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    sans = [x509.DNSName(d) for d in dns] + [x509.UniformResourceIdentifier(u) for u in uris]
    if sans:
        b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if usage:
        b = b.add_extension(x509.ExtendedKeyUsage(usage), critical=False)
    return b.sign(issuer_key or key, hashes.SHA256())

def pem(c):
    return c.public_bytes(serialization.Encoding.PEM)

def pem_key(k, fmt=serialization.PrivateFormat.PKCS8):
    return k.private_bytes(serialization.Encoding.PEM, fmt, serialization.NoEncryption())

def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)

def secret(name, data, type_="kubernetes.io/tls", namespace="istio-system"):
    lines = ["apiVersion: v1", "kind: Secret", "metadata:", f"  name: {name}",
             f"  namespace: {namespace}", f"type: {type_}", "data:"]
    for k, v in data.items():
        lines.append(f"  {k}: {base64.b64encode(v).decode()}")
    os.makedirs(os.path.join(HERE, "secrets"), exist_ok=True)
    write(os.path.join("secrets", name + ".yaml"), ("\n".join(lines) + "\n").encode())

ca_key = key_ec()
ca = cert("Outpost Test Root CA", ca_key, None, None, (D("2026-01-01"), D("2036-01-01")), ca=True)
other_ca_key = key_ec()
other_ca = cert("Some Other CA", other_ca_key, None, None, (D("2026-01-01"), D("2036-01-01")), ca=True)

server_key = key_ec()
server = cert("api.example.com", server_key, ca, ca_key, VALID, dns=["api.example.com", "*.example.com"],
              usage=[ExtendedKeyUsageOID.SERVER_AUTH])
client_key = key_ec()
client = cert("egress-client", client_key, ca, ca_key, VALID, dns=["egress.example.com"],
              usage=[ExtendedKeyUsageOID.CLIENT_AUTH])
rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
rsa_client = cert("egress-client-rsa", rsa_key, ca, ca_key, VALID, usage=[ExtendedKeyUsageOID.CLIENT_AUTH])
expired_key = key_ec()
expired = cert("expired.example.com", expired_key, ca, ca_key, (D("2025-01-01"), D("2026-05-01")))
expiring_key = key_ec()
expiring = cert("expiring.example.com", expiring_key, ca, ca_key, (D("2026-01-01"), D("2026-06-05")))

for n, c in {"ca": ca, "other-ca": other_ca, "server": server, "client": client, "client-rsa": rsa_client,
             "expired": expired, "expiring": expiring}.items():
    write(n + ".pem", pem(c))
for n, k in {"ca": ca_key, "server": server_key, "client": client_key, "expired": expired_key,
             "expiring": expiring_key}.items():
    write(n + ".key", pem_key(k))
write("client-rsa.key", pem_key(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL))

# Secrets as the guides create them (istio-system: the egress gateway's namespace).
secret("client-cert", {"tls.crt": pem(client), "tls.key": pem_key(client_key), "ca.crt": pem(ca)})
secret("client-cert-nocacert", {"tls.crt": pem(client), "tls.key": pem_key(client_key)})
secret("client-cert-generic", {"cert": pem(client), "key": pem_key(client_key), "cacert": pem(ca)}, type_="Opaque")
secret("client-cert-rsa", {"tls.crt": pem(rsa_client), "tls.key": pem_key(rsa_key, serialization.PrivateFormat.TraditionalOpenSSL)})
secret("client-cert-nocacert-cacert", {"ca.crt": pem(ca)}, type_="Opaque")
secret("server-cert", {"tls.crt": pem(server), "tls.key": pem_key(server_key)})
secret("server-cert-cacert", {"ca.crt": pem(ca)}, type_="Opaque")
secret("upstream-ca", {"ca.crt": pem(ca)}, type_="Opaque")
secret("expired-cert", {"tls.crt": pem(expired), "tls.key": pem_key(expired_key), "ca.crt": pem(ca)})
secret("expiring-cert", {"tls.crt": pem(expiring), "tls.key": pem_key(expiring_key), "ca.crt": pem(ca)})
secret("mismatched-cert", {"tls.crt": pem(client), "tls.key": pem_key(server_key), "ca.crt": pem(ca)})
secret("not-pem", {"tls.crt": b"this is not a certificate\n", "tls.key": b"nor a key\n"})
secret("wrong-order-cert", {"tls.crt": pem(ca) + pem(client), "tls.key": pem_key(client_key)})
secret("client-cert-in-apps", {"tls.crt": pem(client), "tls.key": pem_key(client_key), "ca.crt": pem(ca)},
       namespace="apps")
