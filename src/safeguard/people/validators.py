import re

from django.core.exceptions import ValidationError

# The UK postcode shape (outward code, space optional, inward code), from the
# ONS postcode directory's documented formats. Existence is not checked.
_POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")


def validate_postcode(value: str) -> None:
    if value and not _POSTCODE.match(value.strip().upper()):
        raise ValidationError("Enter a real UK postcode, like B1 1AA")
