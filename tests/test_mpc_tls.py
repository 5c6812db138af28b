"""multiparty.tls: the federation CA, party certificates, and mutual TLS over real loopback connections.

Every file is real (in tmp_path) and every handshake is a real TLS handshake between an asyncio server and
client on 127.0.0.1, as the MPC runtime makes them.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import ssl
import stat
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from multiparty.tls import (
    TlsError,
    TlsFiles,
    check_party_files,
    client_context,
    copy_ca_cert,
    create_ca,
    create_request,
    party_name,
    peer_index,
    server_context,
    sign_request,
)


@dataclass(frozen=True)
class Federation:
    """A CA directory and one --tls-dir per party, made the way the documented commands make them."""

    ca_dir: Path
    parties: dict[int, Path]

    def files(self, index: int) -> TlsFiles:
        return TlsFiles.from_dir(self.parties[index])


def _federation(root: Path, indexes: tuple[int, ...], ca_name: str = "Test federation CA") -> Federation:
    ca_dir = root / "coordinator"
    create_ca(ca_dir, name=ca_name)
    parties = {}
    for index in indexes:
        party_dir = root / f"party{index}"
        _, csr = create_request(party_dir, index)
        sign_request(ca_dir, csr, index, party_dir / "party.crt")
        copy_ca_cert(ca_dir, party_dir)
        parties[index] = party_dir
    return Federation(ca_dir, parties)


@pytest.fixture(scope="module")
def federation(tmp_path_factory: pytest.TempPathFactory) -> Federation:
    return _federation(tmp_path_factory.mktemp("federation"), (0, 1, 2))


@pytest.fixture(scope="module")
def other_federation(tmp_path_factory: pytest.TempPathFactory) -> Federation:
    return _federation(tmp_path_factory.mktemp("other"), (0, 1), ca_name="Another CA")


@dataclass
class Outcome:
    """What each side of one connection saw."""

    server_peer: int | None = None  # peer_index on the server side, if its handler ran
    client_peer: int | None = None
    echoed: bytes | None = None
    client_error: BaseException | None = None
    server_errors: list[BaseException] | None = None


def _connect(
    server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext, server_hostname: str
) -> Outcome:
    """Run a loopback server with server_ctx, connect with client_ctx, echo one line; report both sides.

    asyncio reports a server-side handshake failure (an OSError) only in debug mode, through its logger:
    the loop runs in debug mode and a handler on that logger collects the errors into server_errors.
    """
    collector = _ErrorCollector()
    logger = logging.getLogger("asyncio")
    level = logger.level
    logger.addHandler(collector)
    logger.setLevel(logging.DEBUG)
    try:
        outcome = asyncio.run(_connect_async(server_ctx, client_ctx, server_hostname), debug=True)
    finally:
        logger.removeHandler(collector)
        logger.setLevel(level)
    outcome.server_errors = collector.errors
    return outcome


class _ErrorCollector(logging.Handler):
    """Keeps the exceptions attached to asyncio's log records (failed server-side handshakes)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.errors: list[BaseException] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            self.errors.append(record.exc_info[1])


async def _connect_async(
    server_ctx: ssl.SSLContext, client_ctx: ssl.SSLContext, server_hostname: str
) -> Outcome:
    outcome = Outcome()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        outcome.server_peer = peer_index(writer.get_extra_info("ssl_object"))
        line = await reader.readline()
        writer.write(line)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=server_ctx)
    port = server.sockets[0].getsockname()[1]
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, ssl=client_ctx, server_hostname=server_hostname), 2
        )
        outcome.client_peer = peer_index(writer.get_extra_info("ssl_object"))
        writer.write(b"share 42\n")
        await writer.drain()
        # Under TLS 1.3 a server that refuses the client's certificate says so after the client's handshake:
        # the refusal arrives here, as an error or the end of the stream.
        outcome.echoed = await asyncio.wait_for(reader.readline(), 2)
        writer.close()
    except (OSError, ssl.SSLError, asyncio.IncompleteReadError) as error:
        outcome.client_error = error
    finally:
        server.close()
        await server.wait_closed()
        await asyncio.sleep(0)
    return outcome


def test_party_name_and_index_bounds() -> None:
    assert party_name(0) == "sightline-party-0"
    assert party_name(12) == "sightline-party-12"
    for bad in (-1, 65536, True, 1.0):
        with pytest.raises(TlsError):
            party_name(bad)  # type: ignore[arg-type]


def test_ca_request_sign_round_trip(tmp_path: Path) -> None:
    ca_cert_path, ca_key_path = create_ca(tmp_path / "ca")
    assert (ca_cert_path.name, ca_key_path.name) == ("ca.crt", "ca.key")
    assert stat.S_IMODE(ca_key_path.stat().st_mode) == 0o600
    key_path, csr_path = create_request(tmp_path / "p1", 1)
    assert (key_path.name, csr_path.name) == ("party.key", "party.csr")
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    request = x509.load_pem_x509_csr(csr_path.read_bytes())
    assert request.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "sightline-party-1"
    assert request.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName
    ) == ["sightline-party-1"]

    out = sign_request(tmp_path / "ca", csr_path, 1, tmp_path / "p1" / "party.crt")
    ca = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
    cert = x509.load_pem_x509_certificate(out.read_bytes())
    cert.verify_directly_issued_by(ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    assert isinstance(ca.public_key(), ec.EllipticCurvePublicKey)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "sightline-party-1"
    extensions = cert.extensions
    assert extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName
    ) == ["sightline-party-1"]
    assert extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert extensions.get_extension_for_class(x509.KeyUsage).value.digital_signature is True
    assert set(extensions.get_extension_for_class(x509.ExtendedKeyUsage).value) == {
        ExtendedKeyUsageOID.SERVER_AUTH,
        ExtendedKeyUsageOID.CLIENT_AUTH,
    }
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert datetime.timedelta(days=365) <= lifetime <= datetime.timedelta(days=366)
    assert peer_index(cert.public_bytes(serialization.Encoding.DER)) == 1
    copy_ca_cert(tmp_path / "ca", tmp_path / "p1")
    files = TlsFiles.from_dir(tmp_path / "p1")
    check_party_files(files, 1)
    with pytest.raises(TlsError, match="not a certificate for sightline-party-2"):
        check_party_files(files, 2)


def test_mutual_tls_server_learns_client_index(federation: Federation) -> None:
    outcome = _connect(
        server_context(federation.files(2)), client_context(federation.files(0)), party_name(2)
    )
    assert outcome.client_error is None
    assert outcome.echoed == b"share 42\n"
    assert outcome.server_peer == 0
    assert outcome.client_peer == 2


def test_contexts_trust_only_the_federation_ca(federation: Federation) -> None:
    for context in (server_context(federation.files(0)), client_context(federation.files(0))):
        assert [ca["subject"] for ca in context.get_ca_certs()] == [((("commonName", "Test federation CA"),),)]
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.minimum_version == ssl.TLSVersion.TLSv1_2
    assert client_context(federation.files(0)).check_hostname


def test_client_certificate_from_another_ca_is_refused(
    federation: Federation, other_federation: Federation
) -> None:
    # The intruder trusts our CA (it has our ca.crt) but its certificate was signed by another CA.
    intruder = TlsFiles(
        ca=federation.files(0).ca, cert=other_federation.files(0).cert, key=other_federation.files(0).key
    )
    outcome = _connect(server_context(federation.files(1)), client_context(intruder), party_name(1))
    assert outcome.server_peer is None  # the server's handler never ran
    assert outcome.echoed in (None, b"")
    assert any(isinstance(e, ssl.SSLCertVerificationError) for e in outcome.server_errors or [])


def test_server_certificate_from_another_ca_is_refused(
    federation: Federation, other_federation: Federation
) -> None:
    impostor = TlsFiles(
        ca=federation.files(1).ca, cert=other_federation.files(1).cert, key=other_federation.files(1).key
    )
    outcome = _connect(server_context(impostor), client_context(federation.files(0)), party_name(1))
    assert isinstance(outcome.client_error, ssl.SSLCertVerificationError)
    assert outcome.server_peer is None


def test_wrong_server_hostname_fails_verification(federation: Federation) -> None:
    # Party 2's genuine certificate, reached as if it were party 1: same CA, wrong name.
    outcome = _connect(
        server_context(federation.files(2)), client_context(federation.files(0)), party_name(1)
    )
    assert isinstance(outcome.client_error, ssl.SSLCertVerificationError)
    assert "sightline-party-1" in str(outcome.client_error)
    assert outcome.server_peer is None


def test_client_without_certificate_is_refused(federation: Federation) -> None:
    anonymous = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(federation.files(0).ca))
    outcome = _connect(server_context(federation.files(1)), anonymous, party_name(1))
    assert outcome.server_peer is None
    assert outcome.echoed in (None, b"")
    assert any("did not return a certificate" in str(e) for e in outcome.server_errors or [])


def test_request_for_one_index_is_not_signed_as_another(tmp_path: Path, federation: Federation) -> None:
    _, csr = create_request(tmp_path / "p1", 1)
    out = tmp_path / "p1" / "party.crt"
    with pytest.raises(TlsError, match="asks for sightline-party-1, not sightline-party-2"):
        sign_request(federation.ca_dir, csr, 2, out)
    assert not out.exists()


def _request(key: ec.EllipticCurvePrivateKey, cn: str, san: list[str] | None) -> x509.CertificateSigningRequest:
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    )
    if san is not None:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(n) for n in san]), critical=False
        )
    return builder.sign(key, hashes.SHA256())


def test_request_with_extra_names_or_bad_signature_is_refused(tmp_path: Path, federation: Federation) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    extra = tmp_path / "extra.csr"
    extra.write_bytes(
        _request(key, "sightline-party-1", ["sightline-party-1", "sightline-party-0"]).public_bytes(
            serialization.Encoding.PEM
        )
    )
    with pytest.raises(TlsError, match="other names"):
        sign_request(federation.ca_dir, extra, 1, tmp_path / "extra.crt")

    der = bytearray(_request(key, "sightline-party-1", None).public_bytes(serialization.Encoding.DER))
    der[-1] ^= 0x01  # the last byte of the ECDSA signature
    tampered = tmp_path / "tampered.csr"
    tampered.write_bytes(x509.load_der_x509_csr(bytes(der)).public_bytes(serialization.Encoding.PEM))
    with pytest.raises(TlsError, match="signature of tampered.csr is not valid"):
        sign_request(federation.ca_dir, tampered, 1, tmp_path / "tampered.crt")
    assert not (tmp_path / "extra.crt").exists() and not (tmp_path / "tampered.crt").exists()


def test_peer_index_needs_exactly_one_party_name(federation: Federation) -> None:
    ca_cert = x509.load_pem_x509_certificate((federation.ca_dir / "ca.crt").read_bytes())
    ca_key = serialization.load_pem_private_key((federation.ca_dir / "ca.key").read_bytes(), password=None)
    assert isinstance(ca_key, ec.EllipticCurvePrivateKey)

    def der_with(names: list[str] | None) -> bytes:
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sightline-party-1")]))
            .issuer_name(ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + datetime.timedelta(days=1))
        )
        if names is not None:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False
            )
        return builder.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    assert peer_index(der_with(["sightline-party-7"])) == 7
    assert peer_index(der_with(None)) is None  # a CN alone does not name a party
    assert peer_index(der_with(["sightline-party-1", "sightline-party-2"])) is None
    for name in ("sightline-party-01", "sightline-party-x", "party-1", "sightline-party-1.example.org",
                 "sightline-party-99999"):
        assert peer_index(der_with([name])) is None, name
    assert peer_index(None) is None
    assert peer_index(b"not a certificate") is None


@pytest.mark.parametrize("missing", ["ca.crt", "party.crt", "party.key"])
def test_missing_file_is_named(tmp_path: Path, federation: Federation, missing: str) -> None:
    party = tmp_path / "tls"
    party.mkdir()
    for name in ("ca.crt", "party.crt", "party.key"):
        if name != missing:
            (party / name).write_bytes((federation.parties[0] / name).read_bytes())
    with pytest.raises(TlsError, match=f"^{missing} is missing") as raised:
        TlsFiles.from_dir(party)
    assert "PRIVATE KEY" not in str(raised.value)


def test_unreadable_or_malformed_files_give_tls_error(tmp_path: Path, federation: Federation) -> None:
    party = tmp_path / "tls"
    party.mkdir()
    (party / "ca.crt").write_bytes((federation.parties[0] / "ca.crt").read_bytes())
    (party / "party.crt").write_bytes((federation.parties[0] / "party.crt").read_bytes())
    (party / "party.key").mkdir()  # a directory where the key should be: present but unreadable
    with pytest.raises(TlsError, match="^party.key .* cannot be read"):
        TlsFiles.from_dir(party)
    with pytest.raises(TlsError, match="does not exist"):
        TlsFiles.from_dir(tmp_path / "nowhere")

    (party / "party.key").rmdir()
    (party / "party.key").write_bytes(b"-----BEGIN PRIVATE KEY-----\nsecret-material\n-----END PRIVATE KEY-----\n")
    files = TlsFiles.from_dir(party)
    for make in (server_context, client_context):
        with pytest.raises(TlsError, match="could not load party.crt with party.key") as raised:
            make(files)
        assert "secret-material" not in str(raised.value)
    with pytest.raises(TlsError, match="party.key is not an unencrypted PEM private key"):
        check_party_files(files, 0)


def test_existing_files_are_not_overwritten(tmp_path: Path, federation: Federation) -> None:
    ca_dir = tmp_path / "ca"
    create_ca(ca_dir)
    before = {p.name: p.read_bytes() for p in ca_dir.iterdir()}
    with pytest.raises(TlsError, match="already exist"):
        create_ca(ca_dir)
    assert {p.name: p.read_bytes() for p in ca_dir.iterdir()} == before

    party = tmp_path / "party"
    _, csr = create_request(party, 0)
    key_before = (party / "party.key").read_bytes()
    with pytest.raises(TlsError, match="already exist"):
        create_request(party, 0)
    assert (party / "party.key").read_bytes() == key_before

    out = party / "party.crt"
    out.write_bytes(b"an earlier certificate")
    with pytest.raises(TlsError, match="already exist"):
        sign_request(ca_dir, csr, 0, out)
    assert out.read_bytes() == b"an earlier certificate"

    copy_ca_cert(ca_dir, party)
    copy_ca_cert(ca_dir, party)  # the same certificate again is accepted
    with pytest.raises(TlsError, match="another CA's certificate"):
        copy_ca_cert(federation.ca_dir, party)
    assert (party / "ca.crt").read_bytes() == (ca_dir / "ca.crt").read_bytes()


def test_certificate_from_another_ca_fails_the_local_check(
    federation: Federation, other_federation: Federation
) -> None:
    mixed = TlsFiles(
        ca=federation.files(0).ca, cert=other_federation.files(0).cert, key=other_federation.files(0).key
    )
    with pytest.raises(TlsError, match="not signed by the CA"):
        check_party_files(mixed, 0)
    wrong_key = TlsFiles(ca=federation.files(0).ca, cert=federation.files(0).cert, key=federation.files(1).key)
    with pytest.raises(TlsError, match="party.key is not the key of party.crt"):
        check_party_files(wrong_key, 0)
