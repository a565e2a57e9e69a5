"""Throwaway certificate authorities and a MySQL-speaking TLS server for the Lambdas' TLS tests.

The server sends MySQL's initial handshake offering TLS, takes the client's SSLRequest, runs a real TLS handshake
with the certificate it was given, and answers the login with an OK packet, so PyMySQL's connect() goes through
exactly the path it takes with RDS: greeting, TLS upgrade (verified by the client's context), authentication.
"""

from __future__ import annotations

import datetime
import socket
import ssl
import struct
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime.datetime.now(datetime.UTC)
# CLIENT_LONG_PASSWORD | PROTOCOL_41 | SSL | TRANSACTIONS | SECURE_CONNECTION | PLUGIN_AUTH
CAPABILITIES = 0x1 | 0x200 | 0x800 | 0x2000 | 0x8000 | 0x80000
# OK packet: no rows affected, no insert id, autocommit on, no warnings
OK = b"\x00\x00\x00" + struct.pack("<HH", 0x0002, 0)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def certificate(subject, key, issuer=None, issuer_key=None, ca=True, dns=(), before=None, after=None):
    """A certificate of ``key`` for ``subject``, self-signed unless ``issuer``/``issuer_key`` are given."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer) if issuer else _name(subject))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(before or NOW - datetime.timedelta(days=1))
        .not_valid_after(after or NOW + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if dns:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns]), critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256())


def key():
    return ec.generate_private_key(ec.SECP256R1())


def pem(*certs) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)


class CA:
    """A root CA that issues server certificates."""

    def __init__(self, name: str):
        self.name = name
        self.key = key()
        self.cert = certificate(name, self.key)

    def issue(self, tmp: Path, *dns: str) -> tuple[Path, Path]:
        server_key = key()
        cert = certificate(dns[0], server_key, self.name, self.key, ca=False, dns=dns)
        cert_file, key_file = tmp / f"{dns[0]}.crt", tmp / f"{dns[0]}.key"
        cert_file.write_text(pem(cert))
        key_file.write_bytes(
            server_key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return cert_file, key_file

    def bundle(self, tmp: Path) -> Path:
        path = tmp / f"{self.name.replace(' ', '-')}.pem"
        path.write_text(pem(self.cert))
        return path


def _packet(seq: int, payload: bytes) -> bytes:
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def _read_packet(sock) -> bytes:
    header = _recv(sock, 4)
    return _recv(sock, int.from_bytes(header[:3], "little"))


def _recv(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("client closed")
        data += chunk
    return data


def _greeting(capabilities: int) -> bytes:
    return (
        b"\x0a8.4.7-tls-test\x00"
        + struct.pack("<I", 7)
        + b"abcdefgh\x00"
        + struct.pack("<H", capabilities & 0xFFFF)
        + bytes([255])  # utf8mb4_0900_ai_ci
        + struct.pack("<H", 0x0002)  # autocommit
        + struct.pack("<H", capabilities >> 16)
        + bytes([21])
        + b"\x00" * 10
        + b"ijklmnopqrst\x00"
        + b"mysql_native_password\x00"
    )


class MySQLTLSServer:
    """Serves one connection at a time on 127.0.0.1; ``outcomes`` records each: "authenticated" or the TLS error."""

    def __init__(self, cert_file: Path, key_file: Path, offer_tls: bool = True):
        self.capabilities = CAPABILITIES if offer_tls else CAPABILITIES & ~0x800
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert_file, key_file)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.outcomes: list[str] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                conn, _peer = self.listener.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                try:
                    self._session(conn)
                except (OSError, ssl.SSLError, ConnectionError) as err:
                    self.outcomes.append(f"failed: {type(err).__name__}")

    def _session(self, conn):
        conn.sendall(_packet(0, _greeting(self.capabilities)))
        request = _read_packet(conn)  # the SSLRequest: capabilities with CLIENT_SSL, in the clear
        if not int.from_bytes(request[:4], "little") & 0x800:
            self.outcomes.append("plaintext client")
            return
        with self.context.wrap_socket(conn, server_side=True) as tls:
            _read_packet(tls)  # the login, now encrypted
            tls.sendall(_packet(3, OK))
            self.outcomes.append("authenticated")
            try:
                while _read_packet(tls)[:1] != b"\x01":  # every command (SET NAMES ...) gets OK, until COM_QUIT
                    tls.sendall(_packet(1, OK))
            except (OSError, ConnectionError):
                pass

    def close(self):
        self.listener.close()
