"""Phone numbers: found in contact details, stored as E.164 with their extension."""

from __future__ import annotations

import re

import phonenumbers

from releases.models.people import MAX_EXTENSION_DIGITS, normalize_phone, phone_extension_error

# A number, then an optional extension: "ext. 204", "ext 204", "extension 204", "x204",
# "#204", ";ext=204" (the spellings phonenumbers reads), in any digits (\d is Unicode).
# The extension's digits are all taken, however many: a long one is refused with a
# warning (_e164), not cut off the number silently.
_PHONE = re.compile(
    r"(?<![\w+])\+?\(?\d[\d ().\-/]{5,}\d"
    r"(?:\s*(?:,\s*)?(?:;\s*ext=|(?:ext\.?|extn\.?|extension|x|#)\s*)\d+\b)?",
    re.IGNORECASE,
)


def _numbers(text: str, region: str | None) -> list[str]:
    """Rule *more than one number*: the numbers in one match of ``_PHONE``. "0191 496
    0321 / 07700 900 456" is two; "030/555 0199" (a German area code) one, as is any
    text that reads as one valid number."""
    text = text.strip()
    if text.startswith("(") and ")" not in text:
        # Rule *phones in parentheses*: "Maria Delgado (503-555-0182)": the match stops
        # before the closing parenthesis; the opening one is no part of the number.
        text = text[1:].strip()
    parts = [part.strip() for part in re.split(r"\s+/\s+", text) if part.strip()]
    if len(parts) == 1 and "/" in text and not _e164(text, region)[0]:
        halves = [part.strip() for part in text.split("/")]
        if all(len(re.sub(r"\D", "", half)) >= 7 for half in halves):
            parts = halves
    return parts


def _e164(text: str, region: str | None) -> tuple[str, str]:
    """Rule *phones*: a number as E.164, read in ``region`` when written without a
    country code; the trunk "(0)" of "+44 (0)20 …" is dropped, an extension kept.

    ``("+442079460321;ext=204", "")`` for a valid number, the extension in ASCII digits
    (``normalize_phone``), as the exports write it (``Contact.phone_text``); ``("", why)``
    for an invalid one or an extension the contact form refuses too."""
    invalid = "", "is not a valid phone number"
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            # Rule *phones*: without a country code and PHONENUMBER_DEFAULT_REGION the
            # number cannot be stored (contacts hold E.164); the contact is kept.
            return "", (
                "needs its country code (PHONENUMBER_DEFAULT_REGION is not set): add it "
                "on the contact"
            )
        return invalid
    if not phonenumbers.is_valid_number(number):
        return invalid
    if phone_extension_error(number):
        return "", f"has an extension longer than {MAX_EXTENSION_DIGITS} digits"
    number = normalize_phone(number)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return (f"{e164};ext={number.extension}" if number.extension else e164), ""
