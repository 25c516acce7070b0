"""Candidate number mentions: every expression in a text that could be a count of people.

`find_mentions(text)` returns each number expression with its character offsets and value: digits
("1,200", "1.5 million"), number words and compounds ("twenty-seven", "three hundred and five"),
dozens ("a dozen", "two dozen"), ranges ("12-15", "between 12 and 15"), qualified figures ("at least
12", "more than 30"), vague words from one configurable table ("several", "dozens"), and singular
person phrases ("a soldier", "one policeman" = 1).

Each mention is either a candidate count (`is_count`) or marked as a non-count with a `reason`: a
year or date (in digits too: "09/03/2016"), a time, an age, a duration, an ordinal, a percentage,
a ratio ("24/7"), money, a measure, a place or name ("Kilometre Seven", "Route 66"), or a count of
things ("three areas"). The casualty model only ever labels candidate counts, so every figure it
reports points at real text.

The reader is deliberately rule-based and total: it never raises on any input string. Its parts:
`words` (word tables, tokens, parsing digits and number words), `context` (what a number counts)
and `mentions` (walking a text and putting both together).
"""
from __future__ import annotations

from eventcoder.numbers.mentions import (
    DEFAULT_NUMBERS,
    NumberMention,
    NumbersConfig,
    count_candidates,
    default_numbers_config,
    find_mentions,
)
from eventcoder.numbers.words import parse_digits, tokenize

__all__ = ["DEFAULT_NUMBERS", "NumberMention", "NumbersConfig", "count_candidates", "default_numbers_config",
           "find_mentions", "parse_digits", "tokenize"]
