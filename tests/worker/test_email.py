"""Digest emails over real SMTP on 127.0.0.1: plain, STARTTLS with a login, implicit TLS."""

from __future__ import annotations

import socket

import pytest

from worker import email as mail

from .smtp_server import make_tls_files, running

LINK = "https://partwise.example/#/digests/2026-W48"
SUMMARY = {"paragraph": "A steadier week.", "bullets": ["Mood rose by 1.2.", "Calm was higher."]}


def settings(port: int, **overrides) -> mail.SmtpSettings:
    fields = {
        "host": "127.0.0.1",
        "port": port,
        "security": "none",
        "sender": "digest@partwise.example",
        "timeout": 5.0,
    }
    return mail.SmtpSettings(**{**fields, **overrides})


def message(config: mail.SmtpSettings, summary=None):
    return mail.digest_email(config, "sam@example.org", LINK, summary)


@pytest.fixture
def tls(tmp_path):
    return make_tls_files(tmp_path)


def test_plain_smtp_delivers_the_message():
    with running() as server:
        config = settings(server.port)
        mail.send(config, message(config))
    [received] = server.received
    assert (received.mail_from, received.rcpt_tos) == (
        "digest@partwise.example",
        ["sam@example.org"],
    )
    assert received.message["Subject"] == "Your week in the journal"


def test_starttls_with_a_login(tls):
    with running("starttls", tls, login=("partwise", "s3cret")) as server:
        config = settings(
            server.port,
            security="starttls",
            ca_file=str(tls.cert),
            username="partwise",
            password="s3cret",
        )
        mail.send(config, message(config))
    [received] = server.received
    assert received.over_tls and received.authenticated


def test_implicit_tls(tls):
    with running("ssl", tls) as server:
        config = settings(server.port, security="ssl", ca_file=str(tls.cert))
        mail.send(config, message(config))
    assert server.received[0].over_tls


def test_an_untrusted_certificate_is_refused_and_not_worth_retrying(tls):
    with running("starttls", tls) as server:
        config = settings(server.port, security="starttls")  # no CA file: not trusted
        with pytest.raises(mail.EmailError) as failure:
            mail.send(config, message(config))
    assert not failure.value.transient
    assert server.received == []


def test_a_wrong_password_is_not_worth_retrying(tls):
    with running("starttls", tls, login=("partwise", "s3cret")) as server:
        config = settings(
            server.port,
            security="starttls",
            ca_file=str(tls.cert),
            username="partwise",
            password="wrong",
        )
        with pytest.raises(mail.EmailError) as failure:
            mail.send(config, message(config))
    assert not failure.value.transient
    assert "535" in str(failure.value)


def test_a_temporary_refusal_is_worth_retrying():
    with running() as server:
        server.mailbox.replies.append("451 Try again later")
        config = settings(server.port)
        with pytest.raises(mail.EmailError) as failure:
            mail.send(config, message(config))
    assert failure.value.transient


def test_a_permanent_refusal_is_not():
    with running() as server:
        server.mailbox.replies.append("550 Mailbox unavailable")
        config = settings(server.port)
        with pytest.raises(mail.EmailError) as failure:
            mail.send(config, message(config))
    assert not failure.value.transient


def test_no_server_listening_is_worth_retrying():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(mail.EmailError) as failure:
        mail.send(settings(port), message(settings(port)))
    assert failure.value.transient


def test_errors_never_name_the_address():
    with running() as server:
        server.mailbox.replies.append("550 sam@example.org unknown")
        config = settings(server.port)
        with pytest.raises(mail.EmailError) as failure:
            mail.send(config, message(config))
    assert "sam@example.org" not in str(failure.value)


def test_by_default_the_email_has_the_link_and_no_numbers():
    body = message(settings(25)).get_content()
    assert LINK in body
    assert "Mood" not in body and "steadier" not in body


def test_the_summary_is_included_when_asked_for():
    body = message(settings(25), SUMMARY).get_content()
    assert "A steadier week." in body
    assert "- Mood rose by 1.2." in body
    assert LINK in body


def test_settings_are_none_without_an_smtp_host():
    assert mail.SmtpSettings.from_config({"SMTP_HOST": ""}) is None


@pytest.mark.parametrize(
    ("overrides", "message_part"),
    [({"SMTP_SECURITY": "tls13"}, "SMTP_SECURITY"), ({"SMTP_FROM": ""}, "SMTP_FROM")],
)
def test_bad_settings_fail_at_start(overrides, message_part):
    config = {"SMTP_HOST": "mail.example", "SMTP_FROM": "d@partwise.example", **overrides}
    with pytest.raises(ValueError, match=message_part):
        mail.SmtpSettings.from_config(config)
