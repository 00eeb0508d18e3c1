"""Writing output files: atomic text writes and the background writer used for term pages."""

from __future__ import annotations

from pathlib import Path

from k8skb.fileio import BackgroundWriter


def test_background_writer_writes_every_file_and_creates_folders(tmp_path: Path) -> None:
    writer = BackgroundWriter()
    try:
        for n in range(50):
            writer.write(tmp_path / "glossary" / f"t{n}" / "index.html", f"<p>{n}</p>".encode())
        assert writer.finish() is None
    finally:
        writer.close()
    assert sorted(p.read_text() for p in tmp_path.rglob("index.html")) == sorted(
        f"<p>{n}</p>" for n in range(50)
    )


def test_background_writer_reports_the_first_failure_with_its_path(tmp_path: Path) -> None:
    (tmp_path / "blocked").write_text("a file where a folder is needed", encoding="utf-8")
    writer = BackgroundWriter()
    try:
        writer.write(tmp_path / "ok" / "index.html", b"ok")
        writer.write(tmp_path / "blocked" / "page" / "index.html", b"never")
        problem = writer.finish()
        assert writer.finish() is None  # the failures were handed over once
    finally:
        writer.close()
    assert problem is not None and str(tmp_path / "blocked" / "page" / "index.html") in problem
    assert (tmp_path / "ok" / "index.html").read_bytes() == b"ok"


def test_background_writer_keeps_japanese_paths_and_large_pages(tmp_path: Path) -> None:
    page = ("<p>" + "コンテナ" * 100_000 + "</p>").encode()  # 1.2 MB: more than the pipe holds
    writer = BackgroundWriter()
    try:
        writer.write(tmp_path / "用語" / "ポッド" / "index.html", page)
        writer.write(tmp_path / "用語" / "ノード" / "index.html", b"node")
        assert writer.finish() is None
    finally:
        writer.close()
    assert (tmp_path / "用語" / "ポッド" / "index.html").read_bytes() == page
    assert (tmp_path / "用語" / "ノード" / "index.html").read_bytes() == b"node"


def test_a_writer_that_died_is_reported_not_waited_for(tmp_path: Path) -> None:
    writer = BackgroundWriter()
    try:
        writer._proc.kill()
        writer._proc.wait()
        writer.write(tmp_path / "lost" / "index.html", b"x" * 3_000_000)  # the pipe is broken
        problem = writer.finish()
    finally:
        writer.close()
    assert problem is not None and problem.startswith("the page writer stopped (exit -9)")
    assert not (tmp_path / "lost").exists()


def test_background_writer_batches_many_pages_and_closes_cleanly(tmp_path: Path) -> None:
    page = b"<p>" + b"x" * 30_000 + b"</p>"  # 200 of them: several batches, more than the pipe holds
    writer = BackgroundWriter()
    try:
        for n in range(200):
            writer.write(tmp_path / f"t{n}" / "index.html", page + str(n).encode())
        assert writer.finish() is None
        writer.write(tmp_path / "late" / "index.html", b"after finish")  # written by close()
    finally:
        writer.close()
    assert all((tmp_path / f"t{n}" / "index.html").read_bytes() == page + str(n).encode() for n in range(200))
    assert (tmp_path / "late" / "index.html").read_bytes() == b"after finish"
    assert not writer._feeder.is_alive() and writer._proc.returncode == 0
