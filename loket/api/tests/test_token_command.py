"""`loket token`: an administrator makes, lists and revokes API tokens from the command line."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from loket.api.services import create_token

from .conftest import PREFIX


def token(*args) -> tuple[str, str]:
    """Run `loket token ...`; its (stdout, stderr)."""
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def status_with(client, plaintext: str) -> int:
    return client.get(f"{PREFIX}/tickets", HTTP_AUTHORIZATION=f"Bearer {plaintext}").status_code


def test_create_prints_a_working_token_on_stdout_and_the_advice_on_stderr(org, client, requester):
    out, err = token("create", requester.user.username, "--name", "Nachtelijke import", "--days", "7")

    plaintext = out.strip()
    assert plaintext.startswith("lkt_")
    assert plaintext not in err
    assert "Nachtelijke import" in err
    assert requester.user.username in err
    assert "Bewaar hem nu" in err
    assert status_with(client, plaintext) == 200


def test_create_for_an_unknown_user_says_so(db):
    with pytest.raises(CommandError, match=r"Onbekende gebruiker: niemand\."):
        token("create", "niemand")


@pytest.mark.parametrize("days", ["0", "367"])
def test_create_with_an_impossible_validity_says_so(org, requester, days):
    with pytest.raises(CommandError, match="1 tot 366 dagen"):
        token("create", requester.user.username, "--days", days)


def test_revoking_by_prefix_stops_the_token_at_once(org, client, requester):
    plaintext = token("create", requester.user.username)[0].strip()
    prefix = plaintext[:10]

    out, _err = token("revoke", prefix)

    assert f"Sleutel {prefix} is ingetrokken." in out
    assert status_with(client, plaintext) == 401


def test_revoking_an_unknown_prefix_says_so(db):
    with pytest.raises(CommandError, match="Geen sleutel gevonden die begint met lkt_zzzzzz"):
        token("revoke", "lkt_zzzzzz")


def test_list_shows_each_tokens_state_but_never_its_secret(org, requester, colleague):
    _active, active_plain = create_token(user=requester.user, name="Actief script")
    _old, _old_plain = create_token(
        user=requester.user, name="Oud script", days=1, now=timezone.now() - timedelta(days=3)
    )
    withdrawn = token("create", requester.user.username, "--name", "Ingetrokken script")[0].strip()
    token("revoke", withdrawn[:10])
    create_token(user=colleague.user, name="Van Bert")

    out, _err = token("list", requester.user.username)

    lines = {line.split("\t")[2]: line.split("\t") for line in out.splitlines()}
    assert set(lines) == {"Actief script", "Oud script", "Ingetrokken script"}
    assert lines["Actief script"][-1] == "actief"
    assert lines["Oud script"][-1] == "verlopen"
    assert lines["Ingetrokken script"][-1] == "ingetrokken"
    assert lines["Actief script"][0] == active_plain[:10]
    assert active_plain not in out
    assert withdrawn not in out


def test_list_without_a_user_shows_everyones_tokens(org, requester, colleague):
    create_token(user=requester.user, name="Van Anna")
    create_token(user=colleague.user, name="Van Bert")

    out, _err = token("list")

    owners = sorted(line.split("\t")[1] for line in out.splitlines())
    assert owners == sorted([requester.user.username, colleague.user.username])
