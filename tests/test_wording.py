"""The wording catalogue: every sentence in both languages, with the same placeholders."""

from __future__ import annotations

import pytest

from helpers.wording import LANGS, _fields, catalogue, say


def test_every_entry_has_chinese_and_english_with_the_same_placeholders():
    for key, entry in catalogue().items():
        assert set(entry) == set(LANGS), key
        assert _fields(entry["zh"]) == _fields(entry["en"]), key


def test_say_fills_placeholders_in_the_chosen_language():
    assert say("run.busy_waiting", "zh", holder="pid 1") == "另一运行正在进行(pid 1),等待其结束…"
    assert say("run.busy_waiting", "en", holder="pid 1").startswith("another run is in progress (pid 1)")


def test_an_unknown_key_fails_loudly():
    with pytest.raises(KeyError):
        say("no.such.key", "zh")


def test_a_missing_placeholder_fails_loudly():
    with pytest.raises(KeyError):
        say("run.busy_waiting", "en")
