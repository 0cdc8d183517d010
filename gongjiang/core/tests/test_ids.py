"""Chinese identifiers: resident ID numbers (GB 11643), unified social credit codes (GB 32100), mobiles."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongjiang.core.ids import (
    CREDIT_CHARS,
    PROVINCE_PREFIXES,
    IdentifierError,
    credit_check_char,
    id_check_char,
    make_credit_code,
    make_id_card,
    mask_id_card,
    mask_mobile,
    orgcode_check_char,
    parse_id_card,
    validate_credit_code,
    validate_mobile,
)

# ---------------------------------------------------------------------------------------------
# Resident ID numbers (居民身份证号码, GB 11643-1999)


@pytest.mark.parametrize("number, birth, gender", [
    ("11010519491231002X", datetime.date(1949, 12, 31), "F"),  # the textbook example, check character X
    ("110101199003074258", datetime.date(1990, 3, 7), "M"),
    ("11010119900307803X", datetime.date(1990, 3, 7), "M"),
])
def test_published_example_numbers_are_valid(number, birth, gender):
    info = parse_id_card(number)
    assert info.number == number
    assert info.birth_date == birth
    assert info.gender == gender
    assert info.region_code == number[:6]


def test_a_constructed_number_of_a_jinan_worker_is_valid_and_says_who_they_are():
    number = make_id_card("370102", datetime.date(1988, 11, 23), 123)
    assert len(number) == 18
    info = parse_id_card(number)
    assert info.birth_date == datetime.date(1988, 11, 23)
    assert info.gender == "M"  # the 17th digit (3) is odd
    female = parse_id_card(make_id_card("370102", datetime.date(1988, 11, 23), 124))
    assert female.gender == "F"


def test_spaces_and_a_lowercase_x_are_tolerated():
    assert parse_id_card(" 110105 19491231 002x ").number == "11010519491231002X"


def test_a_wrong_check_character_is_refused_and_the_right_one_named():
    with pytest.raises(IdentifierError) as e:
        parse_id_card("110105194912310021")
    assert "X" in str(e.value)


@pytest.mark.parametrize("number", ["11010519491231002", "11010519491231002X1", "", "3701"])
def test_a_number_of_the_wrong_length_is_refused(number):
    with pytest.raises(IdentifierError) as e:
        parse_id_card(number)
    assert str(len(number)) in str(e.value)


@pytest.mark.parametrize("number", ["1101051949123100AX", "11010519491231002Y", "A1010519491231002X",
                                    "１１０１０５１９４９１２３１００２Ｘ"[:18],  # full-width digits
                                    "11٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # Arabic-Indic digits are digits to str.isdigit
                                    "110105194912310²21"])
def test_letters_and_non_ascii_digits_are_refused(number):
    with pytest.raises(IdentifierError):
        parse_id_card(number)


@pytest.mark.parametrize("birth", ["19490230", "19491301", "19490000", "18991231", "30000101"])
def test_an_impossible_birth_date_is_refused(birth):
    first17 = "110105" + birth + "002"
    with pytest.raises(IdentifierError) as e:
        parse_id_card(first17 + id_check_char(first17))
    assert birth in str(e.value)


def test_a_birth_date_in_the_future_is_refused():
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(IdentifierError):
        parse_id_card(make_id_card("370102", tomorrow, 1))


@pytest.mark.parametrize("prefix", ["00", "10", "20", "39", "66", "80", "99"])
def test_an_unknown_province_prefix_is_refused(prefix):
    number = make_id_card(prefix + "0102", datetime.date(1990, 3, 7), 1)
    with pytest.raises(IdentifierError) as e:
        parse_id_card(number)
    assert prefix + "0102" in str(e.value)


def test_masking_keeps_the_last_four_only():
    assert mask_id_card("11010519491231002X") == "**************002X"
    assert mask_id_card("123") == "***"


regions = st.builds(lambda p, rest: p + rest, st.sampled_from(sorted(PROVINCE_PREFIXES)),
                    st.text("0123456789", min_size=4, max_size=4))
births = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date.today())


@given(regions, births, st.integers(0, 999))
def test_every_constructed_number_validates_and_parses_back(region, birth, seq):
    number = make_id_card(region, birth, seq)
    info = parse_id_card(number)
    assert info.number == number
    assert info.birth_date == birth
    assert info.region_code == region
    assert info.gender == ("M" if seq % 2 else "F")
    assert mask_id_card(number) == "*" * 14 + number[-4:]


@given(regions, births, st.integers(0, 999), st.integers(0, 16), st.integers(1, 9))
def test_any_single_digit_change_in_the_first_17_digits_is_detected(region, birth, seq, position, delta):
    number = make_id_card(region, birth, seq)
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1:]
    with pytest.raises(IdentifierError):
        parse_id_card(changed)


# ---------------------------------------------------------------------------------------------
# Unified social credit codes (统一社会信用代码, GB 32100-2015)


def test_a_commonly_cited_credit_code_is_valid_by_the_algorithm():
    assert credit_check_char("91350100M000100Y4") == "3"
    assert orgcode_check_char("M000100Y") == "4"  # the embedded organisation code checks too
    assert validate_credit_code("91350100M000100Y43") == "91350100M000100Y43"


def test_a_constructed_credit_code_is_valid():
    code = make_credit_code("9", "1", "370100", "MA3C0000")
    assert validate_credit_code(code) == code


def test_a_lowercase_credit_code_is_normalised():
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_a_wrong_credit_check_character_is_refused_and_the_right_one_named():
    with pytest.raises(IdentifierError) as e:
        validate_credit_code("91350100M000100Y44")
    assert "3" in str(e.value)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_the_letters_i_o_z_s_v_are_forbidden(letter):
    code = "91350100M000100" + letter + "4"
    with pytest.raises(IdentifierError) as e:
        validate_credit_code(code + "3")
    assert letter in str(e.value)


@pytest.mark.parametrize("code", ["", "91350100M000100Y4", "91350100M000100Y433"])
def test_a_credit_code_of_the_wrong_length_is_refused(code):
    with pytest.raises(IdentifierError):
        validate_credit_code(code)


credit_bodies = st.text(CREDIT_CHARS, min_size=8, max_size=8)


@given(st.sampled_from("123456789ABCDEFGY"), st.sampled_from("123456789"), regions, credit_bodies)
def test_every_constructed_credit_code_validates(dept, kind, region, body):
    code = make_credit_code(dept, kind, region, body)
    assert validate_credit_code(code.lower()) == code


@given(st.sampled_from("123456789"), regions, credit_bodies, st.integers(0, 16), st.integers(1, 30))
def test_any_single_character_change_in_a_credit_code_is_detected(kind, region, body, position, delta):
    code = make_credit_code("9", kind, region, body)
    new = CREDIT_CHARS[(CREDIT_CHARS.index(code[position]) + delta) % 31]
    with pytest.raises(IdentifierError):
        validate_credit_code(code[:position] + new + code[position + 1:])


# ---------------------------------------------------------------------------------------------
# Mobile numbers


@pytest.mark.parametrize("given_number, expected", [
    ("13912345678", "13912345678"),
    ("139 1234 5678", "13912345678"),
    ("139-1234-5678", "13912345678"),
    ("+8619912345678", "19912345678"),
])
def test_mainland_mobile_numbers_are_accepted_and_normalised(given_number, expected):
    assert validate_mobile(given_number) == expected


@pytest.mark.parametrize("bad", ["", "12345", "12912345678", "1391234567", "139123456789", "0531-8888888",
                                 "1391234567a", "139١٢٣٤٥٦٧٨"])
def test_other_numbers_are_refused(bad):
    with pytest.raises(IdentifierError):
        validate_mobile(bad)


def test_mobiles_are_masked_in_lists():
    assert mask_mobile("13912345678") == "139****5678"
