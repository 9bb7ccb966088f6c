"""Figures as values and names as phrases: the equivalences the check accepts and the
changes it must see."""
from __future__ import annotations

import pytest

from engine.check.figures import figures_in, supported
from engine.check.names import name_found, names_in, normalize, quotations_in


def values(text, strict=True):
    return [f.value for f in figures_in(text, strict)]


@pytest.mark.parametrize("text, value", [
    ("33 million", 33e6), ("33,000,000", 33e6), ("thirty-three million", 33e6),
    ("$1.2 billion", 1.2e9), ("45%", 45), ("45 per cent", 45), ("3300万", 33e6),
    ("三千三百万", 33e6), ("1.2亿", 1.2e8), ("两亿", 2e8), ("百分之四十五", 45), ("五倍", 5),
    ("twenty-three hundred", 2300), ("in 2022", 2022), ("3.5 km", 3.5)])
def test_each_way_of_writing_a_figure(text, value):
    assert values(text) == [value]


def test_ranges_give_both_ends_and_identifiers_are_not_figures():
    assert values("from 2010–2015 and 10-20 people") == [2010, 2015, 10, 20]
    assert values("COVID-19, the F-16, 5G and the A320") == []
    assert values("one of the first, 一些人, 统一") == []


def test_rounding_is_allowed_only_where_the_writing_rounds():
    passage = figures_in("Aid agencies counted 33,012,345 people, 45.3% of them, and 2,040 schools.")
    assert all(supported(f, passage) for f in figures_in("33 million, 45%", True))
    assert not any(supported(f, passage) for f in figures_in("2,000 schools; 34 million", True))


def test_names_stop_at_punctuation_and_skip_opening_words():
    assert names_in("The Crimean Bridge was hit, said Russian President Vladimir Putin's aide "
                    "in Santa Clara, California.") == [
        "Crimean Bridge", "Russian President Vladimir Putin's", "Santa Clara"]
    assert names_in("According to Shehbaz Sharif, the Bank of England agreed.") == [
        "Shehbaz Sharif", "Bank of England"]


def test_name_match_ignores_case_accents_possessives_and_order_of_words():
    haystack = normalize("President Recep Tayyip Erdoğan met the mayor of İSTANBUL.")
    words = set(haystack.split())
    assert name_found("Recep Tayyip Erdogan's", haystack, words)
    assert name_found("President Erdogan", haystack, words)
    assert not name_found("President Joe Biden", haystack, words)


def test_quotations_in_english_and_chinese_quotes():
    assert quotations_in('He said "we will rebuild" and 「重建家园」 then “ok”.') == [
        "we will rebuild", "重建家园"]
