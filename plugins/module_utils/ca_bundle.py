# Copyright: techblogpro
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Checks of a PEM bundle of certificate authorities before it is packaged as a trust store.

A bundle a client is to trust (the RDS CA bundle the Lambdas verify the database with) must hold only
certificates, parse, and carry at least one CA certificate valid now: a download that returned an error page, a
truncated file, a private key or a bundle whose CAs have all expired is refused here, on the controller, rather
than found when a Lambda cannot connect. Expired certificates beside valid ones are reported, not refused: AWS's
bundles keep a retiring CA for a while, and a client never chains to an expired one.
"""

from __future__ import annotations

import datetime
import re

try:
    from cryptography import x509
except ImportError:  # pragma: no cover - reported by check() when called
    x509 = None

PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \1-----", re.DOTALL)
BEGIN = re.compile(r"-----BEGIN ")


class CABundleError(Exception):
    """The bundle cannot be trusted as it is; the message says why (it never holds key material)."""


def _utc(cert, name: str) -> datetime.datetime:
    value = getattr(cert, f"{name}_utc", None)  # cryptography >= 42
    if value is None:
        value = getattr(cert, name).replace(tzinfo=datetime.timezone.utc)  # noqa: UP017 (module_utils: Python < 3.11 too)
    return value


def _is_ca(cert) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _subject(cert) -> str:
    names = cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(names[0].value) if names else cert.subject.rfc4514_string()


def check(text: str | bytes, now: datetime.datetime | None = None) -> dict:
    """Check a PEM CA bundle; return its summary or raise :class:`CABundleError`.

    Refused: no PEM block, a block that is not a ``CERTIFICATE`` (a private key, a CSR), a block that does not parse,
    an unterminated block, and a bundle without a CA certificate valid at ``now`` (default: the current time).
    Returns ``certificates`` (count), ``valid`` (the CA certificates valid now: subject, not_after), ``expired`` and
    ``not_yet_valid`` (subjects) and ``expires`` (the earliest not_after of the valid ones, ISO 8601).
    """
    if x509 is None:
        raise CABundleError("checking a CA bundle needs the Python package cryptography on the controller")
    if isinstance(text, bytes):
        try:
            text = text.decode("ascii")
        except UnicodeDecodeError:
            raise CABundleError("the bundle is not PEM text (it holds non-ASCII bytes)") from None
    now = now or datetime.datetime.now(datetime.timezone.utc)  # noqa: UP017 (module_utils: Python < 3.11 too)
    blocks = PEM_BLOCK.findall(text)
    if not blocks:
        raise CABundleError("the bundle holds no PEM certificate (an error page or an empty download?)")
    if len(BEGIN.findall(text)) != len(blocks):
        raise CABundleError("the bundle holds an unterminated or malformed PEM block (a truncated download?)")
    valid, expired, not_yet, not_ca = [], [], [], []
    for index, (label, body) in enumerate(blocks, start=1):
        if label != "CERTIFICATE":
            raise CABundleError(
                f"PEM block {index} is a {label}, not a CERTIFICATE: a trust store holds certificates only"
            )
        pem = f"-----BEGIN CERTIFICATE-----{body}-----END CERTIFICATE-----\n".encode("ascii")
        try:
            cert = x509.load_pem_x509_certificate(pem)
        except ValueError as err:
            raise CABundleError(f"PEM block {index} is not a valid X.509 certificate ({err})") from None
        subject = _subject(cert)
        not_after = _utc(cert, "not_valid_after")
        if not_after < now:
            expired.append(subject)
        elif _utc(cert, "not_valid_before") > now:
            not_yet.append(subject)
        elif not _is_ca(cert):
            not_ca.append(subject)
        else:
            valid.append({"subject": subject, "not_after": not_after.isoformat()})
    if not valid:
        reasons = [f"{len(expired)} expired"] if expired else []
        reasons += [f"{len(not_yet)} not yet valid"] if not_yet else []
        reasons += [f"{len(not_ca)} not a CA"] if not_ca else []
        raise CABundleError(
            f"the bundle holds no CA certificate valid now ({len(blocks)} certificate(s): {', '.join(reasons)})"
        )
    return {
        "certificates": len(blocks),
        "valid": valid,
        "expired": expired,
        "not_yet_valid": not_yet,
        "not_ca": not_ca,
        "expires": min(v["not_after"] for v in valid),
    }
