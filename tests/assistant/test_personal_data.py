"""Identifiers never get past the masking; ordinary numbers (ages, hours, years, paragraphs) do."""
import pytest
from hypothesis import given, strategies as st

from assistant.personal_data import luhn_valid, mask


def with_check_digit(nine: str) -> str:
    return next(nine + str(d) for d in range(10) if luhn_valid(nine + str(d)))


PNR = with_check_digit("900101123")        # 900101-1239-style, a valid personnummer
SAMORDNING = with_check_digit("900161123")  # day 61 = the 1st + 60


@pytest.mark.parametrize("written", [
    f"{PNR[:6]}-{PNR[6:]}", PNR, f"19{PNR[:6]}-{PNR[6:]}", f"19{PNR}", f"{PNR[:6]}+{PNR[6:]}", f"{PNR[:6]} - {PNR[6:]}",
])
def test_personnummer_in_every_written_form_is_masked(written):
    masked = mask(f"hon har pnr {written} och vill jobba")
    assert masked.text == "hon har pnr [personnummer] och vill jobba"
    assert masked.kinds == {"personnummer"}


def test_samordningsnummer_is_masked_as_such():
    assert mask(f"samordningsnr {SAMORDNING[:6]}-{SAMORDNING[6:]}").text == "samordningsnr [samordningsnummer]"


def test_a_number_failing_the_luhn_check_is_not_a_personnummer():
    invalid = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)
    assert mask(f"ärende {invalid}").kinds == frozenset()


@pytest.mark.parametrize("phone", ["070-123 45 67", "0701234567", "+46 70 123 45 67", "08-508 000 00", "+46701234567"])
def test_phone_numbers_are_masked(phone):
    assert mask(f"ring henne på {phone} imorgon").text == "ring henne på [telefonnummer] imorgon"


def test_email_addresses_are_masked():
    assert mask("mejla anna.andersson@stockholm.se").text == "mejla [e-post]"


@pytest.mark.parametrize("ordinary", [
    "hon är 28 år", "20 timmar i veckan", "4 kap. 2 § SoL", "Dnr SOF 2023/434", "född 1998", "personkrets 1",
    "22-40 tim/v", "kontakt sedan 2021-06-15",
])
def test_ordinary_numbers_are_left_alone(ordinary):
    assert mask(ordinary).text == ordinary


@given(st.text())
def test_masking_is_idempotent(text):
    once = mask(text).text
    assert mask(once).text == once
