"""Mutual TLS between the parties of an MPC computation: the federation's CA, party certificates, contexts.

Without TLS anyone on the network path between two organisations reads their secret shares (enough of them
reveal the inputs) and can pretend to be a party. With it, every connection in both directions presents a
certificate signed by the federation's own CA, and a certificate names exactly one party:
DNS name (SAN) and CN `sightline-party-<index>`. The client checks the server's name through hostname
verification; the server reads the client's name with `peer_index` and compares it with the index the
client claims in MPyC's first message, so party 2 cannot connect as party 0.

The workflow (docs/mpc.md, "Setting up TLS"): the coordinator runs `create_ca` once and keeps ca.key; each
party runs `create_request` (its party.key never leaves it) and sends party.csr to the coordinator, who runs
`sign_request` and sends back the certificate and ca.crt; the party puts ca.crt, party.crt and party.key in
its `--tls-dir`. Keys are EC P-256; private keys are written unencrypted with mode 0600 (like an SSH host
key: the process must start unattended), and nothing here ever overwrites an existing file.
"""

from __future__ import annotations

import datetime
import os
import re
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_CERT = "ca.crt"
CA_KEY = "ca.key"
PARTY_CERT = "party.crt"
PARTY_KEY = "party.key"
PARTY_CSR = "party.csr"

_NAME_PREFIX = "sightline-party-"
# Decimal without leading zeros, so that one index has exactly one name ("sightline-party-01" is not party 1).
_NAME_PATTERN = re.compile(r"sightline-party-(0|[1-9][0-9]{0,4})")
# MPyC sends a party's index in two bytes.
MAX_INDEX = 65535
# Certificates start a little in the past so that a peer whose clock is a few minutes behind accepts them.
_CLOCK_SKEW = datetime.timedelta(minutes=5)


class TlsError(ValueError):
    """A TLS file is missing, unreadable, malformed, names the wrong party, or would be overwritten."""


def party_name(index: int) -> str:
    """The DNS name (SAN) and CN of party `index`'s certificate, and the server_hostname used to reach it."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index <= MAX_INDEX:
        raise TlsError(f"a party index is an integer from 0 to {MAX_INDEX}, not {index!r}")
    return f"{_NAME_PREFIX}{index}"


@dataclass(frozen=True)
class TlsFiles:
    """One party's TLS material: the federation's CA certificate, its own certificate and private key."""

    ca: Path
    cert: Path
    key: Path

    @classmethod
    def from_dir(cls, directory: Path | str) -> TlsFiles:
        """The files ca.crt, party.crt and party.key of a `--tls-dir`, each checked to exist and be readable.

        Checked here, before any connection, so that a missing file is reported by its name rather than as
        an SSL error in the middle of connecting. The message never quotes a file's content (party.key).
        """
        base = Path(directory)
        if not base.is_dir():
            raise TlsError(f"the TLS directory {base} does not exist or is not a directory")
        paths = {name: base / name for name in (CA_CERT, PARTY_CERT, PARTY_KEY)}
        for name, path in paths.items():
            _read_file(path, name, what="in the TLS directory " + str(base))
        return cls(ca=paths[CA_CERT], cert=paths[PARTY_CERT], key=paths[PARTY_KEY])


def create_ca(
    out_dir: Path, *, name: str = "Sightline MPC federation CA", days: int = 3650
) -> tuple[Path, Path]:
    """Create the federation's CA: out_dir/ca.crt (given to every party) and out_dir/ca.key (mode 0600).

    Returns (ca.crt, ca.key). Refuses to overwrite either file: a new CA would silently invalidate every
    certificate already issued.
    """
    _check_days(days)
    if not name.strip():
        raise TlsError("the CA needs a name")
    out = _ensure_dir(out_dir)
    cert_path, key_path = out / CA_CERT, out / CA_KEY
    _refuse_existing(cert_path, key_path)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = _now()
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + datetime.timedelta(days=days))
        # path_length 0: the CA signs party certificates only, never another CA.
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_new(key_path, _key_pem(key), private=True)
    _write_new(cert_path, certificate.public_bytes(serialization.Encoding.PEM), private=False)
    return cert_path, key_path


def create_request(out_dir: Path, index: int) -> tuple[Path, Path]:
    """Create party `index`'s key out_dir/party.key (mode 0600) and request out_dir/party.csr.

    Returns (party.key, party.csr). The request carries CN and SAN DNS `party_name(index)`; only the .csr
    is sent to the coordinator. Refuses to overwrite either file (a new key orphans the signed certificate).
    """
    name = party_name(index)
    out = _ensure_dir(out_dir)
    key_path, csr_path = out / PARTY_KEY, out / PARTY_CSR
    _refuse_existing(key_path, csr_path)
    key = ec.generate_private_key(ec.SECP256R1())
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_new(key_path, _key_pem(key), private=True)
    _write_new(csr_path, request.public_bytes(serialization.Encoding.PEM), private=False)
    return key_path, csr_path


def sign_request(ca_dir: Path, csr_path: Path, index: int, out_path: Path, *, days: int = 365) -> Path:
    """Issue party `index`'s certificate from its request, signed by the CA in ca_dir; returns out_path.

    The coordinator must know which organisation is party `index` (the request says nothing about who sent
    it); this checks what can be checked: the request's signature (its sender holds the key) and that it
    names exactly `party_name(index)`, so a request made for another index is refused rather than issued
    under a name its sender did not ask for. The certificate expires no later than the CA.
    """
    _check_days(days)
    name = party_name(index)
    ca_path, ca_key_path = Path(ca_dir) / CA_CERT, Path(ca_dir) / CA_KEY
    ca_cert = _load_certificate(ca_path, CA_CERT)
    ca_key = _load_private_key(ca_key_path, CA_KEY)
    if ca_key.public_key().public_numbers() != _ec_public_key(ca_cert.public_key(), CA_CERT).public_numbers():
        raise TlsError(f"{CA_KEY} is not the key of {CA_CERT} in {ca_dir}")
    request = _load_request(Path(csr_path))
    _check_request(request, name, Path(csr_path).name)
    public_key = _ec_public_key(request.public_key(), Path(csr_path).name)
    out = Path(out_path)
    _refuse_existing(out)
    now = _now()
    not_after = min(now + datetime.timedelta(days=days), ca_cert.not_valid_after_utc)
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_cert.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(cert_sign=False), critical=True)
        # Both: a party is a server for the parties below it and a client of the parties above it.
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]),
            critical=False,
        )
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    _ensure_dir(out.parent)
    _write_new(out, certificate.public_bytes(serialization.Encoding.PEM), private=False)
    return out


def copy_ca_cert(ca_dir: Path, party_dir: Path) -> Path:
    """Copy ca_dir/ca.crt (never ca.key) into party_dir/ca.crt; returns the copy's path.

    For a coordinator that is also a party, or a test on one machine; across organisations ca.crt travels
    like the signed certificate (it is public). An identical existing copy is accepted; a different one is
    refused, since it would mean the party trusts another federation.
    """
    source = Path(ca_dir) / CA_CERT
    content = _read_file(source, CA_CERT, what="in " + str(ca_dir))
    _load_certificate(source, CA_CERT)
    target = _ensure_dir(party_dir) / CA_CERT
    if target.exists():
        if _read_file(target, CA_CERT, what="in " + str(party_dir)) == content:
            return target
        raise TlsError(f"{target} already exists and is another CA's certificate; not overwritten")
    _write_new(target, content, private=False)
    return target


def check_party_files(files: TlsFiles, index: int) -> None:
    """Check before connecting that party.crt is signed by ca.crt, is current, names party `index` and
    belongs to party.key: each of these would otherwise surface as an anonymous handshake failure on the
    other parties' side, or as the wrong party being refused."""
    ca_cert = _load_certificate(files.ca, files.ca.name)
    cert = _load_certificate(files.cert, files.cert.name)
    key = _load_private_key(files.key, files.key.name)
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature) as error:
        raise TlsError(f"{files.cert.name} is not signed by the CA in {files.ca.name}") from error
    now = _now()
    if not cert.not_valid_before_utc <= now + _CLOCK_SKEW or now >= cert.not_valid_after_utc:
        raise TlsError(
            f"{files.cert.name} is valid from {cert.not_valid_before_utc:%Y-%m-%d %H:%M} "
            f"to {cert.not_valid_after_utc:%Y-%m-%d %H:%M} UTC, not now"
        )
    if _party_index_of(cert) != index:
        raise TlsError(f"{files.cert.name} is not a certificate for {party_name(index)}")
    cert_key = _ec_public_key(cert.public_key(), files.cert.name)
    if key.public_key().public_numbers() != cert_key.public_numbers():
        raise TlsError(f"{files.key.name} is not the key of {files.cert.name}")


def server_context(files: TlsFiles) -> ssl.SSLContext:
    """The listening side: presents party.crt, requires a client certificate signed by ca.crt only.

    Which party the client is cannot be decided by the context; the server checks it per connection with
    `peer_index(transport.get_extra_info("ssl_object"))` against the index the client claims.
    """
    context = _context(ssl.Purpose.CLIENT_AUTH, files)
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def client_context(files: TlsFiles) -> ssl.SSLContext:
    """The connecting side: presents party.crt, trusts ca.crt only, and checks the server's name.

    Connect with server_hostname=party_name(peer_index), so a certificate of another party (even one
    signed by the same CA) is refused.
    """
    context = _context(ssl.Purpose.SERVER_AUTH, files)
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    return context


def peer_index(peer: ssl.SSLObject | ssl.SSLSocket | bytes | None) -> int | None:
    """The party index named by a peer certificate (an SSL object after the handshake, or DER bytes).

    The index if the certificate's SAN DNS names are exactly one `sightline-party-<n>`, else None (no
    certificate, no or several names, another kind of name, a malformed one). Only meaningful on a
    connection whose context verified the certificate against the federation CA.
    """
    if peer is None:
        return None
    der = peer if isinstance(peer, bytes) else peer.getpeercert(binary_form=True)
    if not der:
        return None
    try:
        certificate = x509.load_der_x509_certificate(der)
    except ValueError:
        return None
    return _party_index_of(certificate)


def _party_index_of(certificate: x509.Certificate) -> int | None:
    """The index named by a certificate's SAN (exactly one DNS name and nothing else), else None."""
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (x509.ExtensionNotFound, ValueError):
        return None
    names = list(san)
    if len(names) != 1 or not isinstance(names[0], x509.DNSName):
        return None
    match = _NAME_PATTERN.fullmatch(names[0].value)
    if match is None:
        return None
    index = int(match.group(1))
    return index if index <= MAX_INDEX else None


def _context(purpose: ssl.Purpose, files: TlsFiles) -> ssl.SSLContext:
    """A context trusting only the federation's CA (no system CAs: a public CA must not admit a party)."""
    try:
        # With cafile given, create_default_context loads that file and not the system's CAs.
        context = ssl.create_default_context(purpose, cafile=str(files.ca))
    except (OSError, ssl.SSLError) as error:
        raise TlsError(f"could not load the CA certificate {files.ca.name}: {_reason(error)}") from error
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_flags |= ssl.VERIFY_X509_STRICT
    try:
        context.load_cert_chain(certfile=str(files.cert), keyfile=str(files.key))
    except (OSError, ssl.SSLError) as error:
        raise TlsError(
            f"could not load {files.cert.name} with {files.key.name} (missing, malformed or not a pair): "
            f"{_reason(error)}"
        ) from error
    return context


def _check_request(request: x509.CertificateSigningRequest, name: str, file_name: str) -> None:
    """Refuse a request whose signature fails or that names anything but exactly `name`."""
    if not request.is_signature_valid:
        raise TlsError(f"the signature of {file_name} is not valid")
    attributes = list(request.subject)
    common_names = [a.value for a in attributes if a.oid == NameOID.COMMON_NAME]
    if len(attributes) != 1 or common_names != [name]:
        shown = ", ".join(str(v) for v in common_names) or "no common name"
        raise TlsError(f"{file_name} asks for {shown}, not {name} (only CN={name} is accepted)")
    try:
        san = request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return
    if [type(entry) for entry in san] != [x509.DNSName] or san.get_values_for_type(x509.DNSName) != [name]:
        raise TlsError(f"{file_name} asks for other names than {name} in its subject alternative names")


def _key_usage(*, cert_sign: bool) -> x509.KeyUsage:
    """Digital signature for party certificates (ECDHE-ECDSA); certificate and CRL signing for the CA."""
    return x509.KeyUsage(
        digital_signature=not cert_sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _load_certificate(path: Path, name: str) -> x509.Certificate:
    data = _read_file(path, name, what="at " + str(path.parent))
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError as error:
        raise TlsError(f"{name} is not a PEM certificate") from error


def _load_private_key(path: Path, name: str) -> ec.EllipticCurvePrivateKey:
    data = _read_file(path, name, what="at " + str(path.parent))
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as error:
        # The message of the library is not quoted: it could echo part of the key.
        raise TlsError(f"{name} is not an unencrypted PEM private key") from error
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise TlsError(f"{name} is not an EC P-256 key")
    return key


def _load_request(path: Path) -> x509.CertificateSigningRequest:
    data = _read_file(path, path.name, what="at " + str(path.parent))
    try:
        return x509.load_pem_x509_csr(data)
    except ValueError as error:
        raise TlsError(f"{path.name} is not a PEM certificate request") from error


def _ec_public_key(key: object, file_name: str) -> ec.EllipticCurvePublicKey:
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise TlsError(f"the key in {file_name} is not an EC P-256 key")
    return key


def _read_file(path: Path, name: str, *, what: str) -> bytes:
    """A file's bytes, or TlsError naming the file (never its content)."""
    try:
        return path.read_bytes()
    except FileNotFoundError as error:
        raise TlsError(f"{name} is missing {what}") from error
    except OSError as error:
        raise TlsError(f"{name} {what} cannot be read: {error.strerror or type(error).__name__}") from error


def _write_new(path: Path, data: bytes, *, private: bool) -> None:
    """Write a file that must not exist yet (O_EXCL: no overwrite even in a race); keys get mode 0600."""
    mode = 0o600 if private else 0o644
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError as error:
        raise TlsError(f"{path} already exists; not overwritten") from error
    except OSError as error:
        raise TlsError(f"cannot create {path}: {error.strerror or type(error).__name__}") from error
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    if private:
        os.chmod(path, 0o600)  # the umask cannot widen it, but a pre-set ACL default could: be explicit


def _refuse_existing(*paths: Path) -> None:
    """Refuse before generating anything, so a refused run leaves no half-written pair behind."""
    existing = [str(p) for p in paths if p.exists() or p.is_symlink()]
    if existing:
        raise TlsError(f"{', '.join(existing)} already exist(s); not overwritten")


def _ensure_dir(directory: Path) -> Path:
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise TlsError(f"cannot create the directory {path}: {reason}") from error
    if not path.is_dir():
        raise TlsError(f"{path} is not a directory")
    return path


def _check_days(days: int) -> None:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise TlsError(f"a validity is a positive number of days, not {days!r}")


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


def _reason(error: BaseException) -> str:
    """An OpenSSL or OS error's short reason, without file contents."""
    if isinstance(error, ssl.SSLError) and error.reason:
        return str(error.reason)
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return type(error).__name__
