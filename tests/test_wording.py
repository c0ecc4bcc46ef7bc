"""The wording catalogue: every sentence in both languages, with the same placeholders."""

from __future__ import annotations

import re

import pytest

from helpers.wording import LANGS, _fields, catalogue, say


def test_every_entry_has_chinese_and_english_with_the_same_placeholders():
    for key, entry in catalogue().items():
        assert set(entry) == set(LANGS), key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


# A Chinese character: an ideograph, or the punctuation and quotation marks of Chinese text (。、“” …).
_HAN = "[\u3400-\u9fff\u3000-\u303f\uff00-\uffef“”‘’…—]"
_SLOT = "\ue000"  # a placeholder, whatever it will hold
_SIDE = f"(?:{_HAN}|{_SLOT})"
_ASCII_BETWEEN_CHINESE = re.compile(f"(?={_HAN} *([,:;()!?]) *{_SIDE}|{_SLOT} *([,:;()!?]) *{_HAN})")


def test_chinese_text_uses_full_width_punctuation_between_chinese_characters():
    """GB/T 15834: in Chinese text a comma, colon, semicolon, bracket, exclamation or question mark is full-width
    (，：；（）！？). ASCII stays where it belongs: in numbers (1,234), times (12:30), code and between Latin words."""
    offending = {}
    for key, entry in catalogue().items():
        text = re.sub(r"\{[^{}]*\}", _SLOT, entry["zh"])
        if _ASCII_BETWEEN_CHINESE.search(text):
            offending[key] = entry["zh"]
    assert offending == {}


def test_say_fills_placeholders_in_the_chosen_language():
    assert say("run.busy_waiting", "zh", holder="pid 1") == "另一运行正在进行（pid 1），等待其结束…"
    assert say("run.busy_waiting", "en", holder="pid 1").startswith("another run is in progress (pid 1)")


def test_an_unknown_key_fails_loudly():
    with pytest.raises(KeyError):
        say("no.such.key", "zh")


def test_a_missing_placeholder_fails_loudly():
    with pytest.raises(KeyError):
        say("run.busy_waiting", "en")
