"""``sightline secrets``: where the deployment's keys come from, and rotating them (docs/api.md, "Secrets").

The audit, pseudonym and partner-secrets keys come from the environment or from owner-only files that
the first command to need them creates in ``SIGHTLINE_HOME/secrets/`` (``state.secrets``). ``status``
says which, never the keys. ``rotate`` replaces a file-held key with a new random one; each key's
rotation has a different cost, which the command prints and the docs spell out.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.console import EXIT_FAILURE, fail, stderr
from state.settings import get_settings

app = typer.Typer(help="The deployment's secrets: where they come from, and rotating them.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)

CONSEQUENCES = {
    "audit": "audit entries hashed before now can no longer be compared with new hashes or checked against a "
             "value (the old key is gone); restart every server so they hash with the new key",
    "pseudonym": "reports rendered from now on give victims new pseudonyms, which no longer match earlier reports' "
                 "tokens, and screening references of analysis marks change; restart every server and worker",
    "partner-secrets": "every partner HMAC secret was re-encrypted under the new key; the partners' secrets "
                       "themselves are unchanged and their hashes still match",
}


@app.command("status")
def status() -> None:
    """Say where each key comes from (environment or file), creating missing key files."""
    from state.secrets import SecretsError, ensure_all

    try:
        found = ensure_all(get_settings())
    except SecretsError as error:
        raise fail(str(error), EXIT_FAILURE) from None
    for item in found:
        typer.echo(item.describe())


@app.command("rotate")
def rotate(
    which: Annotated[str, typer.Option("--which", help="audit, pseudonym or partner-secrets.")],
) -> None:
    """Replace a file-held key with a new random one (a key from the environment is changed there)."""
    from screening.partner_keys import rotate_encryption
    from state.secrets import PARTNER_SECRETS, WHICH, SecretsError
    from state.secrets import rotate as rotate_key

    if which not in WHICH:
        raise fail(f"--which takes one of {', '.join(WHICH)}")
    settings = get_settings()
    try:
        if which == PARTNER_SECRETS:
            db = settings.api_database()
            try:
                count = rotate_encryption(settings, db)
            finally:
                db.close()
            stderr.print(f"{count} partner secret(s) re-encrypted")
        else:
            rotate_key(settings, which)
    except (SecretsError, ValueError) as error:
        raise fail(str(error), EXIT_FAILURE) from None
    typer.echo(f"rotated the {which} key: {CONSEQUENCES[which]}")
