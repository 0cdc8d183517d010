"""Validation of Chinese identifiers (pure functions, no ORM).

- Resident ID numbers, GB 11643-1999: 17 digits + check character (0-9 or X), birth date inside.
- Unified social credit codes, GB 32100-2015: 18 characters with a mod-31 check character; the
  embedded organisation code (GB 11714) has its own mod-11 check.
- Mainland mobile numbers.
"""

from __future__ import annotations

import datetime
import operator
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PROVINCE_PREFIXES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
}
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORGCODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# ASCII digits only: str.isdigit() and \d also accept Arabic-Indic, full-width and superscript digits.
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")
ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")


class IdentifierError(ValueError):
    """A malformed identifier; the message is Chinese and says what is wrong."""


@dataclass(frozen=True)
class IdCardInfo:
    number: str
    birth_date: datetime.date
    gender: str  # "M" / "F"
    region_code: str


_ID_DIGIT_OFFSET = ord("0") * sum(ID_WEIGHTS)
# A birth year before this is in the past whatever today is (the process may outlive the year: then it only asks
# today's date more often).
_SURELY_PAST_BEFORE = datetime.date.today().year - 1


def id_check_char(first17: str) -> str:
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("an ID number's check character is computed from its first 17 digits")
    # The digits' weighted sum from their ASCII codes, less the codes' share: an import checks 100,000 numbers.
    return ID_CHECK[(sum(map(operator.mul, first17.encode(), ID_WEIGHTS)) - _ID_DIGIT_OFFSET) % 11]


def normalize_id_card(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def parse_id_card(value: str) -> IdCardInfo:
    """Validate a resident ID number and return what it encodes; raise IdentifierError otherwise."""
    number = normalize_id_card(value)
    if len(number) != 18:
        raise IdentifierError(_("The ID number must have 18 characters (it has %(n)d).") % {"n": len(number)})
    if not ID_RE.match(number):
        raise IdentifierError(_("The ID number may contain only digits and a final X."))
    if number[:2] not in PROVINCE_PREFIXES:
        raise IdentifierError(_("The ID number starts with an unknown region code %(code)s.") % {"code": number[:6]})
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        birth = None
    # today's date is asked only for a birth in the last year or so (an import parses 100,000 numbers)
    if birth is None or birth.year < 1900 or (birth.year >= _SURELY_PAST_BEFORE and birth > datetime.date.today()):
        raise IdentifierError(_("The ID number contains an impossible birth date %(d)s.") % {"d": number[6:14]})
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise IdentifierError(
            _("The ID number's check character is wrong (should be %(c)s); please check the number.")
            % {"c": expected}
        )
    return IdCardInfo(number=number, birth_date=birth, gender="M" if int(number[16]) % 2 else "F",
                      region_code=number[:6])


def mask_id_card(number: str) -> str:
    """**************1234: the last four characters and nothing else.

    The region digits stay hidden too: with the first four shown and the birth date beside them, only the two
    county digits were unknown, and trying the city's counties against the check character rebuilt the whole
    number. Hidden region and birth date leave hundreds of candidates even to someone who knows the county."""
    if len(number) < 8:
        return "*" * len(number)
    return "*" * (len(number) - 4) + number[-4:]


def orgcode_check_char(body8: str) -> str:
    total = sum(_orgcode_value(c) * w for c, w in zip(body8, ORGCODE_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def _orgcode_value(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - ord("A") + 10


def credit_check_char(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def normalize_credit_code(value: str) -> str:
    return (value or "").strip().replace(" ", "").upper()


def validate_credit_code(value: str) -> str:
    """Validate a 统一社会信用代码 (GB 32100) and return it normalised; raise IdentifierError."""
    code = normalize_credit_code(value)
    if len(code) != 18:
        raise IdentifierError(_("The unified social credit code must have 18 characters (it has %(n)d).")
                              % {"n": len(code)})
    bad = [c for c in code if c not in CREDIT_CHARS]
    if bad:
        raise IdentifierError(_("The unified social credit code contains a character that is not allowed: %(c)s.")
                              % {"c": bad[0]})
    expected = credit_check_char(code[:17])
    if code[17] != expected:
        raise IdentifierError(
            _("The unified social credit code's check character is wrong (should be %(c)s).") % {"c": expected}
        )
    return code


def validate_mobile(value: str) -> str:
    number = re.sub(r"[\s-]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    if not MOBILE_RE.match(number):
        raise IdentifierError(_("The mobile number must be 11 digits starting with 13–19."))
    return number


def mask_mobile(number: str) -> str:
    return number[:3] + "****" + number[-4:] if len(number) == 11 else number


def make_id_card(region6: str, birth: datetime.date, seq3: int) -> str:
    """A valid ID number (for demo data and tests): region, birth date, sequence, check character."""
    first17 = f"{region6}{birth:%Y%m%d}{seq3:03d}"
    return first17 + id_check_char(first17)


def make_credit_code(dept: str, kind: str, region6: str, body8: str) -> str:
    """A valid credit code (for demo data and tests) with a valid embedded organisation code."""
    first17 = f"{dept}{kind}{region6}{body8}{orgcode_check_char(body8)}"
    return first17 + credit_check_char(first17)
