"""Parsing typed, uploaded and preset word lists."""

import pytest

from inputs import wordlists
from settings import MAX_ITEMS


def test_one_item_per_line_ignores_blanks_spaces_and_duplicates():
    parsed = wordlists.parse_text("  king \n\nqueen\nking\n   \nQueen")
    assert parsed.items == ["king", "queen", "Queen"]
    assert parsed.groups == ["", "", ""]
    assert parsed.notes == ["1 duplicate item shown once."]
    assert wordlists.parse_text("King\nking", lowercase=True).items == ["king"]


def test_a_single_line_with_commas_is_a_list_of_items():
    assert wordlists.parse_text("king, queen,building,").items == ["king", "queen", "building"]


def test_word_comma_group_lines_carry_groups_and_sentences_stay_whole():
    parsed = wordlists.parse_text("king, royalty\nhouse,building\nThe captain, against his crew, chose")
    assert parsed.items == ["king", "house", "The captain, against his crew, chose"]
    assert parsed.groups == ["royalty", "building", ""]
    tabbed = wordlists.parse_text("king\troyalty\nqueen\troyalty")
    assert tabbed.groups == ["royalty", "royalty"]


def test_csv_with_header_without_header_and_with_other_columns():
    assert wordlists.parse_csv("word,group\nking,royalty\nhouse,building\n").groups == ["royalty", "building"]
    assert wordlists.parse_csv("id,text,label\n1,a cat,animal\n2,a car,vehicle").items == ["a cat", "a car"]
    headerless = wordlists.parse_csv("king,royalty\nhouse,building")
    assert headerless.items == ["king", "house"] and headerless.groups == ["royalty", "building"]
    quoted = wordlists.parse_csv('word,group\n"Hello, world",greeting\nshort\n')
    assert quoted.items == ["Hello, world", "short"] and quoted.groups == ["greeting", ""]
    assert wordlists.parse_csv("").notes == ["The file is empty."]


def test_long_lists_are_cut_to_the_limit_with_a_note():
    parsed = wordlists.parse_text("\n".join(f"w{i}" for i in range(MAX_ITEMS + 7)))
    assert len(parsed) == MAX_ITEMS
    assert f"{MAX_ITEMS + 7:,} items" in parsed.notes[-1] and f"first {MAX_ITEMS:,}" in parsed.notes[-1]


def test_uploads_are_decoded_or_refused_with_a_reason():
    assert wordlists.parse_upload("\ufeffword,group\nking,royalty".encode(), "list.csv").items == ["king"]
    assert wordlists.parse_upload(b"king\nqueen", "list.txt").items == ["king", "queen"]
    assert wordlists.parse_upload("king\nqueen".encode("utf-16"), "list.txt").items == ["king", "queen"]
    windows = wordlists.parse_upload("café\nnaïve\n“quoted”".encode("cp1252"), "list.txt")
    assert windows.items == ["café", "naïve", "“quoted”"]  # read as Windows-1252, and said so
    assert "list.txt is not UTF-8" in windows.notes[0] and "Windows-1252" in windows.notes[0]
    latin = wordlists.parse_upload(b"caf\xe9\n\x81", "list.txt")  # 0x81 is not Windows-1252
    assert latin.items == ["café", "\x81"] and "Latin-1" in latin.notes[0]
    tsv = wordlists.parse_upload(b"word\tgroup\nNew York, NY\tcity\nParis\tcity\n", "places.tsv")
    assert tsv.items == ["New York, NY", "Paris"] and tsv.groups == ["city", "city"]
    with pytest.raises(wordlists.WordListError, match="binary"):
        wordlists.parse_upload(b"\x89PNG\r\n\x1a\n\x00\x00", "picture.txt")


def test_markup_in_items_is_kept_as_text():
    parsed = wordlists.parse_text("<b>bold</b>\n**star**")
    assert parsed.items == ["<b>bold</b>", "**star**"]


def test_presets_load_with_groups_and_the_default_comes_first():
    names = wordlists.preset_names()
    assert names[0] == wordlists.DEFAULT_PRESET
    default = wordlists.load_preset(names[0])
    assert {"king", "queen", "building", "dishwasher"} <= set(default.items)
    assert all(default.groups)
    for name in names:
        assert len(wordlists.load_preset(name)) >= 8
    with pytest.raises(wordlists.WordListError):
        wordlists.load_preset("../settings")
