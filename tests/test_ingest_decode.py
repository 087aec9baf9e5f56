"""Decoding: UTF-8 ± BOM, GB18030/GBK, Big5, UTF-16 detected; binary refused by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import InputError
from workbench.ingest.decode import decode_bytes

DATA = Path(__file__).parent / "data" / "ingest"
SAMPLE = "为巩固易地扶贫搬迁成果，确保搬迁群众“搬得出、稳得住、能致富”，现就有关事项通知如下。"


@pytest.mark.parametrize(
    ("name", "encoding", "expected_start"),
    [
        ("utf8_bom.txt", "utf-8-sig", "当前位置"),
        ("gb18030.txt", "gb18030", "当前位置"),
        ("big5.txt", "big5", "當前位置"),
        ("utf16.txt", "utf-16", "当前位置"),
        ("traditional.txt", "utf-8", "當前位置"),
    ],
)
def test_fixture_files_decode_with_their_encoding(name, encoding, expected_start):
    decoded = decode_bytes((DATA / name).read_bytes(), name)
    assert decoded.encoding == encoding
    assert decoded.text.startswith(expected_start)
    assert "\ufeff" not in decoded.text


def test_line_endings_are_kept_so_offsets_match_the_file():
    decoded = decode_bytes((DATA / "gb18030.txt").read_bytes(), "gb18030.txt")
    assert "\r\n" in decoded.text


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_mainland_legacy_encodings_decode_as_gb18030(encoding):
    decoded = decode_bytes(SAMPLE.encode(encoding), "x.txt")
    assert decoded.text == SAMPLE
    assert decoded.encoding == "gb18030"


def test_big5_text_is_not_mistaken_for_gb18030():
    traditional = "為鞏固易地扶貧搬遷成果，確保搬遷群眾搬得出、穩得住、能致富，現就有關事項通知。"
    decoded = decode_bytes(traditional.encode("big5"), "x.txt")
    assert decoded.text == traditional


def test_binary_file_is_refused_naming_the_file():
    with pytest.raises(InputError, match=r"image\.txt: binary file"):
        decode_bytes((DATA / "image.txt").read_bytes(), "image.txt")


def test_control_bytes_without_nul_are_refused_as_binary():
    with pytest.raises(InputError, match="binary"):
        decode_bytes(bytes(range(1, 32)) * 20, "blob.txt")


def test_empty_file_is_reported():
    with pytest.raises(InputError, match="empty"):
        decode_bytes(b"", "empty.txt")


def test_undecodable_bytes_name_the_file_and_the_fix():
    junk = bytes([0x80, 0xFF, 0x80, 0xFF, 0x81]) * 50
    with pytest.raises(InputError, match=r"junk\.txt: .*convert it to UTF-8"):
        decode_bytes(junk, "junk.txt")
