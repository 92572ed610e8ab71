"""Contact addresses: e-mail addresses and E.164 phone numbers."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from postbud.domain.identifiers.errors import InvalidIdentifier

_EMAIL = "email address"
_PHONE = "phone number"
_PARSE_ERRORS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: "the country calling code is missing or unknown",
    phonenumbers.NumberParseException.NOT_A_NUMBER: "is not a phone number",
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: "too short after the international prefix",
    phonenumbers.NumberParseException.TOO_SHORT_NSN: "too short",
    phonenumbers.NumberParseException.TOO_LONG: "too long",
}


def email_address(value: str) -> str:
    """Validate the syntax of an e-mail address (no DNS look-up); return its normalised form."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidIdentifier(_EMAIL, value, str(exc).rstrip(".")) from None


def e164_phone(value: str, *, default_region: str = "NO") -> str:
    """Validate a phone number and return it in E.164 form ("+4791234567").

    Numbers without '+' or an international prefix belong to ``default_region``, so a Norwegian
    8-digit number gets +47 as Digipost does.
    """
    text = value.strip()
    if default_region == "NO" and text.startswith("011"):
        # Digipost also accepts the North American "011" prefix; no Norwegian number starts with 0.
        text = "+" + text[3:]
    try:
        parsed = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        rule = _PARSE_ERRORS.get(exc.error_type, "cannot be read as a phone number")
        raise InvalidIdentifier(_PHONE, value, rule) from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidIdentifier(_PHONE, value, "is not a valid number in its country's numbering plan")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
