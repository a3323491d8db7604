"""The digest by email (iOS home-screen push is fragile): SMTP with STARTTLS, SSL or neither.

By default the email only says that the week's reflection is ready and links to it: mailboxes
are read on shared screens and pass through other people's servers. The summary goes in only
when the client asked for it (`digest.include_summary_in_email`).
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from api import config as config_module

SECURITY_MODES = ("starttls", "ssl", "none")
SUBJECT = "Your week in the journal"


class EmailError(Exception):
    """A send failed. `transient` says whether trying again later may work.

    The message names the failure (an SMTP code, an exception type), never an address.
    """

    def __init__(self, message: str, *, transient: bool) -> None:
        super().__init__(message)
        self.transient = transient


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    sender: str
    username: str = ""
    password: str = ""
    timeout: float = 10.0
    ca_file: str = ""

    @classmethod
    def from_settings(cls, settings: config_module.Settings) -> SmtpSettings | None:
        """None when SMTP_HOST is not set: email is optional. ValueError on bad settings."""
        host = str(settings.smtp_host or "").strip()
        if not host:
            return None
        security = str(settings.smtp_security or "starttls").lower()
        if security not in SECURITY_MODES:
            raise ValueError(f"SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}")
        sender = str(settings.smtp_from or "").strip()
        if "@" not in sender:
            raise ValueError("SMTP_FROM must be the address digests are sent from")
        return cls(
            host=host,
            port=int(settings.smtp_port or (465 if security == "ssl" else 587)),
            security=security,
            sender=sender,
            username=str(settings.smtp_username or ""),
            password=str(settings.smtp_password or ""),
            timeout=float(settings.smtp_timeout_seconds or 10),
            ca_file=str(settings.smtp_ca_file or ""),
        )

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> SmtpSettings | None:
        """From a configuration mapping: `from_settings` of what it holds (defaults for the
        rest)."""
        return cls.from_settings(config_module.Settings.from_mapping(config))

    def tls_context(self) -> ssl.SSLContext:
        # Certificates are always verified; SMTP_CA_FILE adds a private CA.
        return ssl.create_default_context(cafile=self.ca_file or None)


def digest_email(
    settings: SmtpSettings,
    to: str,
    link: str,
    summary: Mapping[str, Any] | None = None,
) -> EmailMessage:
    """The digest email: a link to the reflection, and its summary only when `summary` is given."""
    lines = ["Your weekly reflection is ready in Partwise.", ""]
    if summary:
        lines += [str(summary.get("paragraph") or ""), ""]
        lines += [f"- {bullet}" for bullet in summary.get("bullets") or ()] + [""]
    lines += [f"Read it here: {link}", ""]
    lines.append("You can change when and how the digest comes in the app's settings.")
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = settings.sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    message.set_content("\n".join(lines))
    return message


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Send one email; raises EmailError."""
    try:
        with _connect(settings) as smtp:
            if settings.security == "starttls":
                smtp.starttls(context=settings.tls_context())
            if settings.username:
                smtp.login(settings.username, settings.password)
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({code for code, _ in exc.recipients.values()})
        raise EmailError(
            f"SMTP recipient refused {codes}", transient=all(c < 500 for c in codes)
        ) from None
    except smtplib.SMTPResponseException as exc:
        raise EmailError(f"SMTP {exc.smtp_code}", transient=400 <= exc.smtp_code < 500) from None
    except (ssl.SSLError, ssl.CertificateError, smtplib.SMTPNotSupportedError) as exc:
        # A TLS or capability mismatch is configuration: trying again will not help.
        raise EmailError(f"SMTP TLS: {type(exc).__name__}", transient=False) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise EmailError(f"SMTP connection: {type(exc).__name__}", transient=True) from None


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=settings.tls_context()
        )
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
