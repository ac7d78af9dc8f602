"""Hindi number words: the irregular 0-99 table, the Indian scale, and the readings
a news reader uses for years, decimals, ordinals, times, dates and fractions."""

from __future__ import annotations

import pytest

from narrator.text.numbers import (
    cardinal,
    digits,
    english_number,
    half_form,
    ordinal,
    read_date,
    read_fraction,
    read_integer,
    read_number,
    read_time,
)

# 0-100 written out by tens, independently of the module's table.
EXPECTED_0_TO_100 = """
शून्य एक दो तीन चार पाँच छह सात आठ नौ
दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस
बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस
तीस इकतीस बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस
चालीस इकतालीस बयालीस तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास
पचास इक्यावन बावन तिरेपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ
साठ इकसठ बासठ तिरसठ चौंसठ पैंसठ छियासठ सड़सठ अड़सठ उनहत्तर
सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उनासी
अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी
नब्बे इक्यानवे बानवे तिरानवे चौरानवे पचानवे छियानवे सत्तानवे अट्ठानवे निन्यानवे
सौ
""".split()  # noqa: SIM905 - a table reads better than a list literal


@pytest.mark.parametrize("n", range(101))
def test_zero_to_hundred(n: int) -> None:
    assert cardinal(n) == EXPECTED_0_TO_100[n]


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (101, "एक सौ एक"),
        (120, "एक सौ बीस"),
        (999, "नौ सौ निन्यानवे"),
        (1000, "एक हज़ार"),
        (1001, "एक हज़ार एक"),
        (20_000, "बीस हज़ार"),
        (100_000, "एक लाख"),
        (120_000, "एक लाख बीस हज़ार"),
        (1_000_000, "दस लाख"),
        (12_345_678, "एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर"),
        (10**7, "एक करोड़"),
        (10**9, "एक अरब"),
        (2_50_00_00_000, "दो अरब पचास करोड़"),
        (10**11, "एक खरब"),
        (5 * 10**13, "पाँच सौ खरब"),
        (-5, "माइनस पाँच"),
    ],
)
def test_indian_scale(n: int, words: str) -> None:
    assert cardinal(n) == words


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("1,23,45,678", "एक करोड़ तेईस लाख पैंतालीस हज़ार छह सौ अठहत्तर"),
        ("1,20,000", "एक लाख बीस हज़ार"),  # Indian grouping
        ("120,000", "एक लाख बीस हज़ार"),  # Western grouping, same number
        ("20,000", "बीस हज़ार"),
        ("1990", "उन्नीस सौ नब्बे"),  # years 1100-1999 read in hundreds
        ("1100", "ग्यारह सौ"),
        ("1,500", "एक हज़ार पाँच सौ"),  # with a comma it is a count
        ("2024", "दो हज़ार चौबीस"),
        ("2000", "दो हज़ार"),
        ("1000", "एक हज़ार"),
        ("007", "शून्य शून्य सात"),  # a code, not seven
        ("9876543210", "नौ आठ सात छह पाँच चार तीन दो एक शून्य"),  # phone-like
        ("123456789", "बारह करोड़ चौंतीस लाख छप्पन हज़ार सात सौ नवासी"),
    ],
)
def test_read_integer(written: str, words: str) -> None:
    assert read_integer(written) == words


@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("16.9", "सोलह दशमलव नौ"),
        ("0.5", "शून्य दशमलव पाँच"),
        ("3.14", "तीन दशमलव एक चार"),
        ("-5", "माइनस पाँच"),
        ("−2.5", "माइनस दो दशमलव पाँच"),
    ],
)
def test_read_number(written: str, words: str) -> None:
    assert read_number(written) == words


@pytest.mark.parametrize(
    ("written", "words"),
    [("1.5", "डेढ़"), ("2.5", "ढाई"), ("3.5", "साढ़े तीन"), ("11.5", "साढ़े ग्यारह"), ("2.50", "ढाई")],
)
def test_half_forms_before_a_multiplier(written: str, words: str) -> None:
    assert read_number(written, before_multiplier=True) == words


def test_half_form_only_for_a_half() -> None:
    assert read_number("2.4", before_multiplier=True) == "दो दशमलव चार"
    assert half_form("0") is None


@pytest.mark.parametrize(
    ("n", "form", "words"),
    [
        (1, "a", "पहला"), (1, "e", "पहले"), (1, "i", "पहली"),
        (2, "a", "दूसरा"), (3, "i", "तीसरी"), (4, "a", "चौथा"), (6, "e", "छठे"),
        (5, "i", "पाँचवीं"), (11, "e", "ग्यारहवें"), (21, "a", "इक्कीसवाँ"), (100, "a", "सौवाँ"),
    ],
)  # fmt: skip
def test_ordinals(n: int, form: str, words: str) -> None:
    assert ordinal(n, form) == words


@pytest.mark.parametrize(
    ("args", "kw", "words"),
    [
        ((10, 30), {}, "दस बजकर तीस मिनट"),
        ((10, 0), {}, "दस बजे"),
        ((10, 30), {"baje": True}, "साढ़े दस बजे"),
        ((1, 30), {"baje": True}, "डेढ़ बजे"),
        ((2, 30), {"baje": True}, "ढाई बजे"),
        ((10, 15), {"baje": True}, "सवा दस बजे"),
        ((10, 45), {"baje": True}, "पौने ग्यारह बजे"),
        ((12, 45), {"baje": True}, "पौने एक बजे"),
        ((10, 20), {"baje": True}, "दस बजकर बीस मिनट"),
        ((18, 30), {}, "शाम छह बजकर तीस मिनट"),
        ((10, 30), {"ampm": "pm"}, "रात दस बजकर तीस मिनट"),
        ((7, 5), {"ampm": "am"}, "सुबह सात बजकर पाँच मिनट"),
        ((12, 0), {"ampm": "am"}, "रात बारह बजे"),
        ((10, 30, 15), {}, "दस बजकर तीस मिनट पंद्रह सेकंड"),
    ],
)
def test_times(args: tuple, kw: dict, words: str) -> None:
    assert read_time(*args, **kw) == words


def test_dates_and_fractions() -> None:
    assert read_date(15, 10, 2025) == "पंद्रह अक्टूबर दो हज़ार पच्चीस"
    assert read_date(1, 1, None) == "एक जनवरी"
    assert read_fraction(1, 2) == "आधा"
    assert read_fraction(3, 4) == "तीन चौथाई"
    assert read_fraction(5, 8) == "पाँच बटा आठ"
    assert digits("2025") == "दो शून्य दो पाँच"


# issue #11 class 7: digits in product and technology codes are read in English
@pytest.mark.parametrize(
    ("written", "words"),
    [
        ("1", "वन"),
        ("4", "फ़ोर"),
        ("10", "टेन"),
        ("15", "फ़िफ़्टीन"),
        ("24", "ट्वेंटी फ़ोर"),
        ("100", "हंड्रेड"),  # H100
        ("200", "टू हंड्रेड"),  # B200
        ("320", "थ्री ट्वेंटी"),  # A320
        ("305", "थ्री ओ फ़ाइव"),
        ("737", "सेवन थर्टी सेवन"),
        ("4090", "फ़ोर्टी नाइंटी"),  # read in pairs
        ("1080", "टेन एटी"),
        ("2100", "ट्वेंटी वन हंड्रेड"),
        ("5000", "फ़ाइव थाउज़ेंड"),
        ("07", "ज़ीरो सेवन"),  # a leading zero: digit by digit
        ("12345", "वन टू थ्री फ़ोर फ़ाइव"),
        ("4.5", "फ़ोर पॉइंट फ़ाइव"),
    ],
)
def test_english_number(written: str, words: str) -> None:
    assert english_number(written) == words


def test_trailing_zero_decimals_say_nothing() -> None:
    # issue #11 class 8: $30.0 मिलियन is तीस मिलियन डॉलर, not "तीस दशमलव शून्य"
    assert read_number("30.0") == "तीस"
    assert read_number("30.00", before_multiplier=True) == "तीस"
    assert read_number("2.50", before_multiplier=True) == "ढाई"
    assert read_number("2.50") == "दो दशमलव पाँच शून्य"  # a measurement keeps its digits
