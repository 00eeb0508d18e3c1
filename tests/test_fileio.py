"""Atomic writes: readers see the old file or the new one, never a part; failures leave nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8skb.fileio import OutputError, output_file, replacing_folder, write_bytes_atomic, write_text_atomic


def test_a_new_file_gets_the_permissions_a_plain_open_gives(tmp_path: Path) -> None:
    plain = tmp_path / "plain.json"
    plain.write_text("{}", encoding="utf-8")
    target = tmp_path / "bank.json"
    write_text_atomic(target, "{}")
    assert target.stat().st_mode == plain.stat().st_mode
    assert target.read_text(encoding="utf-8") == "{}"


def test_folders_are_created_and_text_is_utf8_with_newlines(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "用語.txt"
    write_text_atomic(target, "ポッド\nPod\n")
    assert target.read_bytes() == "ポッド\nPod\n".encode()


def test_an_existing_file_is_replaced_and_no_temporary_file_stays(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    write_text_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_failed_write_keeps_the_old_file_and_removes_the_temporary_one(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "half \ud800 written")  # a lone surrogate cannot be encoded
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_dash_writes_to_standard_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_text_atomic("-", "to stdout\n")
    assert capsys.readouterr().out == "to stdout\n"
    assert list(tmp_path.iterdir()) == []


def test_bytes_are_written_as_given_and_replace_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "deck" / "k8skb.apkg"
    write_bytes_atomic(target, b"PK\x03\x04\x00\xff")
    write_bytes_atomic(target, b"PK\x03\x04\x01")
    assert target.read_bytes() == b"PK\x03\x04\x01"
    assert sorted(p.name for p in target.parent.iterdir()) == ["k8skb.apkg"]


def test_a_failed_bytes_write_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.apkg"
    target.write_bytes(b"old")
    with pytest.raises(TypeError):
        write_bytes_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.apkg"]


def _symlink_or_skip(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError) as exc:  # Windows without the privilege
        pytest.skip(f"cannot create a symlink here: {exc}")


def test_a_symlink_is_followed_even_when_its_file_does_not_exist_yet(tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    _symlink_or_skip(link, tmp_path / "real" / "out.json")
    write_text_atomic(link, "{}")
    assert link.is_symlink() and (tmp_path / "real" / "out.json").read_text(encoding="utf-8") == "{}"


def test_a_symlink_loop_and_a_folder_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    loop = tmp_path / "loop"
    _symlink_or_skip(loop, loop)
    with pytest.raises(OutputError, match=r"'.*loop'"):
        write_bytes_atomic(loop, b"x")
    with pytest.raises(OutputError, match="is a directory"):
        output_file(tmp_path, "--out")
    assert [p.name for p in tmp_path.iterdir()] == ["loop"]


def test_a_failed_folder_keeps_the_earlier_one_and_a_complete_one_replaces_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), replacing_folder(out) as tmp:
        (tmp / "new.txt").write_text("half", encoding="utf-8")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and [p.name for p in out.iterdir()] == ["old.txt"]
    with replacing_folder(out) as tmp:
        (tmp / "new.txt").write_text("new", encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out"] and [p.name for p in out.iterdir()] == ["new.txt"]
