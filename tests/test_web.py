"""``bienche serve``'s JSON API through starlette's TestClient: jobs end to end, upload
limits (413), names and zip archives made safe, Host/Origin checks, expiry, shutdown."""

from __future__ import annotations

import io
import json
import re
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from extractor.web.app import allowed_hosts, create_app
from extractor.web.jobs import JobStore, Settings
from extractor.web.uploads import Limits, UploadError, member_path, safe_component, upload_name

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
BASE = "http://127.0.0.1:8000"
GOOD = "Thực hiện Kết luận số 40-KL/TW, ngày 18/7/2022 của Bộ Chính trị, tổng biên chế của tỉnh năm 2024 là 1.250 biên chế.\n"


class Server:
    """A TestClient on a fresh store, with the store's root at hand."""

    def __init__(self, client: TestClient, store: JobStore) -> None:
        self.client, self.store = client, store

    def post(self, files: list[tuple[str, bytes]], **kwargs: Any) -> Any:
        """POST ``files`` (name, bytes) to /api/jobs."""
        return self.client.post("/api/jobs", files=[("files", (name, data)) for name, data in files], **kwargs)

    def wait(self, job_id: str, timeout: float = 180.0) -> dict[str, Any]:
        """The job's snapshot once it has finished."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            snapshot: dict[str, Any] = self.client.get(f"/api/jobs/{job_id}").json()
            if snapshot["status"] in ("done", "failed"):
                return snapshot
            time.sleep(0.2)
        raise AssertionError(f"job {job_id} did not finish in {timeout}s")

    def leftovers(self) -> list[Path]:
        """Every file under the store's root."""
        return [p for p in self.store.root.rglob("*") if p.is_file()]


def _server(tmp_path: Path, limits: Limits | None = None, **settings: Any) -> Iterator[Server]:
    store = JobStore(Settings(**settings), root=tmp_path / "jobs")
    store.root.mkdir(parents=True, exist_ok=True)
    with TestClient(create_app(store, limits or Limits(), port=8000), base_url=BASE) as client:
        yield Server(client, store)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """A server with the default limits."""
    yield from _server(tmp_path)


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Server]:
    """A server taking at most 3 files of 2 KB, 5 KB in all."""
    yield from _server(tmp_path, Limits(max_files=3, max_file_bytes=2_000, max_total_bytes=5_000))


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, dict[str, Any]]]:
    """One job for the sample PDF, the sample DOCX and a broken DOCX, finished."""
    for srv in _server(tmp_path_factory.mktemp("web")):
        files = [(p.name, p.read_bytes()) for p in (CORPUS / "kh-123-longan.pdf", CORPUS / "hoi-nghi-bien-che.docx")]
        answer = srv.post([*files, ("hỏng.docx", b"this is not a zip file")])
        assert answer.status_code == 201, answer.text
        yield srv, srv.wait(answer.json()["id"])


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# ---- a job end to end -------------------------------------------------------------


def test_web_job_reports_each_file(finished: tuple[Server, dict[str, Any]]) -> None:
    _srv, job = finished
    assert job["status"] == "done" and job["total"] == job["done"] == 3
    by_name = {f["name"]: f for f in job["files"]}
    assert list(by_name) == ["kh-123-longan.pdf", "hoi-nghi-bien-che.docx", "hỏng.docx"]
    pdf = by_name["kh-123-longan.pdf"]
    assert pdf["pages"] == 10 and pdf["citations"] > 0 and pdf["figures"] > 0 and pdf["findings"]["errors"] > 0
    assert by_name["hoi-nghi-bien-che.docx"]["figures"] > 0 and not by_name["hoi-nghi-bien-che.docx"]["errors"]
    (error,) = by_name["hỏng.docx"]["errors"]
    assert error["code"] == "E_DOCX_CORRUPT" and "hỏng.docx" in error["message"]


def test_web_downloads_use_uploaded_names(finished: tuple[Server, dict[str, Any]]) -> None:
    import openpyxl

    srv, job = finished
    assert set(job["downloads"]) == {"bienche.xlsx", "figures.csv", "citations.csv", "results.jsonl", "report.html"}
    answers = {name: srv.client.get(url) for name, url in job["downloads"].items()}
    assert all(a.status_code == 200 and a.headers["content-disposition"].startswith("attachment") for a in answers.values())
    records = [json.loads(line) for line in answers["results.jsonl"].text.splitlines()]
    assert [r["source"] for r in records] == ["kh-123-longan.pdf", "hoi-nghi-bien-che.docx", "hỏng.docx"]
    assert "kh-123-longan.pdf" in answers["figures.csv"].text and str(srv.store.root) not in answers["citations.csv"].text
    book = openpyxl.load_workbook(io.BytesIO(answers["bienche.xlsx"].content), read_only=True)
    cells = {str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
    assert "kh-123-longan.pdf" in cells and not any(str(srv.store.root) in c for c in cells)
    assert answers["report.html"].text.count('<section class="doc"') == 3


def test_web_document_report_is_the_highlighted_report(finished: tuple[Server, dict[str, Any]]) -> None:
    srv, job = finished
    answer = srv.client.get(job["files"][0]["report"])
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    page = answer.text
    assert page.count('<section class="doc"') == 1 and 'class="fig' in page and "data-finding" in page
    policy = answer.headers["content-security-policy"]
    assert re.search(r"script-src 'sha256-[^']+'", policy) and "frame-ancestors 'self'" in policy
    assert srv.client.get(f"/api/jobs/{job['id']}/documents/9").status_code == 404


@pytest.mark.parametrize("name", ["../in/kh-123-longan.pdf", "report.js", "docs", "..%2F..%2Fin%2Fhỏng.docx"])
def test_web_only_listed_outputs_are_served(finished: tuple[Server, dict[str, Any]], name: str) -> None:
    srv, job = finished
    assert srv.client.get(f"/api/jobs/{job['id']}/files/{name}").status_code == 404


@pytest.mark.parametrize("job_id", ["0" * 32, "../../etc", "abc"])
def test_web_unknown_job_is_404(server: Server, job_id: str) -> None:
    answer = server.client.get(f"/api/jobs/{job_id}")
    assert answer.status_code == 404 and "detail" in answer.json()


def test_web_job_folder_deleted_after_ttl(tmp_path: Path) -> None:
    for srv in _server(tmp_path, ttl_s=0.5):
        job_id = srv.post([("a.txt", GOOD.encode())]).json()["id"]
        assert srv.wait(job_id)["status"] == "done"
        assert (srv.store.root / job_id).is_dir()
        time.sleep(0.6)
        assert srv.client.get(f"/api/jobs/{job_id}").status_code == 404
        assert not (srv.store.root / job_id).exists()


# ---- uploads: limits, names, zips -----------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([("a.txt", b"x" * 2_001)], "a.txt: lớn hơn 0.002 MB"),
        ([(f"{n}.txt", b"x") for n in range(4)], "3.txt: quá 3 tệp"),
        ([("a.txt", b"x" * 1_900), ("b.txt", b"x" * 1_900), ("c.txt", b"x" * 1_900)], "tổng dung lượng"),
        ([("bomb.zip", _zip({"zeros.txt": b"0" * 3_000}))], "bomb.zip/zeros.txt: khi giải nén lớn hơn"),
        ([("many.zip", _zip({f"{n}.txt": b"x" for n in range(4)}))], "many.zip: quá 3 tệp"),
        ([("sum.zip", _zip({f"{n}.txt": b"0" * 1_900 for n in range(3)}))], "sum.zip: khi giải nén vượt tổng"),
    ],
)
def test_web_upload_over_limits_is_413(small: Server, files: list[tuple[str, bytes]], expected: str) -> None:
    answer = small.post(files)
    assert answer.status_code == 413 and expected in answer.json()["detail"], answer.text
    assert small.leftovers() == []


def test_web_declared_length_over_limit_is_413_before_reading(small: Server) -> None:
    answer = small.client.post("/api/jobs", content=b"x", headers={"content-type": "multipart/form-data; boundary=b", "content-length": "99999999"})
    assert answer.status_code == 413


def _lying_zip() -> bytes:
    """A zip whose member declares 10 bytes and holds 1,500 (both headers patched)."""
    data = bytearray(_zip({"lie.txt": b"0" * 1_500}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.index(signature) + offset
        data[at : at + 4] = (10).to_bytes(4, "little")
    return bytes(data)


@pytest.mark.parametrize(
    ("members", "status", "expected"),
    [
        ({"../evil.txt": GOOD.encode()}, 400, "ra ngoài thư mục"),
        ({"sub/../../evil.txt": GOOD.encode()}, 400, "ra ngoài thư mục"),
        ({"/etc/evil.txt": GOOD.encode()}, 400, "đường dẫn tuyệt đối"),
        ({"C:/evil.txt": GOOD.encode()}, 400, "đường dẫn tuyệt đối"),
    ],
)
def test_web_zip_slip_is_refused(server: Server, tmp_path: Path, members: dict[str, bytes], status: int, expected: str) -> None:
    answer = server.post([("slip.zip", _zip(members))])
    assert answer.status_code == status and expected in answer.json()["detail"] and "slip.zip" in answer.json()["detail"]
    assert server.leftovers() == [] and not list(tmp_path.rglob("evil.txt"))


def test_web_zip_lying_about_size_is_refused(small: Server) -> None:
    answer = small.post([("lie.zip", _lying_zip())])
    assert answer.status_code in (400, 413) and "lie.zip" in answer.json()["detail"]
    assert small.leftovers() == []


def test_web_zip_of_a_folder_is_unpacked_safely(server: Server) -> None:
    archive = _zip({
        "hồ sơ/a.txt": GOOD.encode(), "hồ sơ/con/b.md": GOOD.encode(), "hồ sơ/Thumbs.db": b"junk",
        "__MACOSX/hồ sơ/._a.txt": b"junk", "hồ sơ/.ẩn.txt": GOOD.encode(), "hồ sơ/lồng.zip": _zip({"c.txt": b"x"}),
    })  # fmt: skip
    answer = server.post([("thư mục.zip", archive), ("thư mục.zip", _zip({"a.txt": GOOD.encode()}))])
    assert answer.status_code == 201, answer.text
    job = server.wait(answer.json()["id"])
    names = [f["name"] for f in job["files"]]
    assert names == ["thư mục.zip/hồ sơ/a.txt", "thư mục.zip/hồ sơ/con/b.md", "thư mục (2).zip/a.txt"]
    assert all(f["figures"] == 1 and not f["errors"] for f in job["files"])
    assert len(job["skipped"]) == 4 and any("lồng.zip" in s for s in job["skipped"])
    stored = [p.relative_to(server.store.root / job["id"] / "in").as_posix() for p in server.leftovers() if "/in/" in p.as_posix()]
    assert sorted(stored) == sorted(names)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\cán bộ\\kế hoạch.pdf", "kế hoạch.pdf"),
        (".bashrc", "bashrc"),
        ("a\x00b\x1b[31m.txt", "ab[31m.txt"),
        ('báo "cáo" <1>|?.docx', "báo _cáo_ _1___.docx"),
        ("", "tệp"),
        ("..", "tệp"),
        ("x" * 200 + ".pdf", "x" * 76 + ".pdf"),
        ("Ke\u0302\u0301 hoa\u0323ch.txt", "Kế hoạch.txt"),
    ],
)
def test_web_upload_name_is_safe(given: str, expected: str) -> None:
    assert upload_name(given) == expected
    assert "/" not in safe_component(given) and "\\" not in safe_component(given)


@pytest.mark.parametrize(
    ("member", "expected"),
    [("a/b.txt", "a/b.txt"), ("a/./b.txt", "a/b.txt"), ("a\\b.txt", "a/b.txt"), ("a//b.txt", "a/b.txt"), ("a/.b.txt", "a/b.txt")],
)
def test_web_member_path_keeps_folders(member: str, expected: str) -> None:
    assert member_path(member, "x.zip").as_posix() == expected


@pytest.mark.parametrize("member", ["../a.txt", "a/../../b.txt", "/abs.txt", "\\\\server\\share\\a.txt", "D:\\a.txt", "./"])
def test_web_member_path_refuses_escapes(member: str) -> None:
    with pytest.raises(UploadError) as refused:
        member_path(member, "x.zip")
    assert refused.value.status == 400 and "x.zip" in refused.value.message


@pytest.mark.parametrize(
    ("content", "headers", "expected"),
    [
        (b"files=a.txt", {"content-type": "application/x-www-form-urlencoded"}, "multipart/form-data"),
        (b"--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--b--\r\n", {"content-type": "multipart/form-data; boundary=b"}, "không có tệp"),
        (b"garbage without boundary", {"content-type": "multipart/form-data; boundary=b"}, "multipart"),
    ],
)
def test_web_bad_upload_is_400(server: Server, content: bytes, headers: dict[str, str], expected: str) -> None:
    answer = server.client.post("/api/jobs", content=content, headers=headers)
    assert answer.status_code == 400 and expected in answer.json()["detail"], answer.text
    assert server.leftovers() == []


# ---- the guard: Host, Origin, headers -------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [("127.0.0.1:8000", 200), ("localhost:8000", 200), ("LOCALHOST:8000", 200), ("[::1]:8000", 200),
     ("evil.example:8000", 421), ("127.0.0.1:9999", 421), ("127.0.0.1", 421), ("127.0.0.1.evil.example:8000", 421)],
)  # fmt: skip
def test_web_host_header_must_name_the_server(server: Server, host: str, status: int) -> None:
    assert server.client.get("/api/limits", headers={"host": host}).status_code == status


@pytest.mark.parametrize(("origin", "status"), [("http://evil.example", 403), ("null", 403), (BASE, 201)])
def test_web_post_from_another_origin_is_refused(server: Server, origin: str, status: int) -> None:
    answer = server.post([("a.txt", GOOD.encode())], headers={"origin": origin})
    assert answer.status_code == status, answer.text


@pytest.mark.parametrize(
    ("host", "port", "extra", "accepted", "refused"),
    [
        ("127.0.0.1", 8000, (), {"127.0.0.1:8000", "localhost:8000"}, {"127.0.0.1", "evil:8000"}),
        ("0.0.0.0", 80, ("bienche.lan",), {"localhost", "bienche.lan", "bienche.lan:80"}, {"0.0.0.0:80", "evil"}),
        ("192.168.1.5", 8080, (), {"192.168.1.5:8080"}, {"localhost:8080"}),
        ("::1", 8000, (), {"[::1]:8000"}, {"::1:8000"}),
    ],
)
def test_web_allowed_hosts(host: str, port: int, extra: tuple[str, ...], accepted: set[str], refused: set[str]) -> None:
    hosts = allowed_hosts(host, port, extra)
    assert accepted <= hosts and not refused & hosts


def test_web_page_has_strict_policy_and_no_inline_code(server: Server) -> None:
    answer = server.client.get("/")
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    page = answer.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page) and not re.search(r"\son[a-z]+=", page)
    assert not re.search(r"https?://", page)  # nothing fetched from elsewhere
    script = server.client.get("/static/app.js").text
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "textContent" in script
    assert server.client.get("/static/../app.py").status_code == 404


def test_web_progress_is_reported_per_file_while_the_api_answers(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    import extractor.batch as batch_module

    gate = threading.Event()
    real = batch_module.extract_many

    def one_then_wait(paths: list[Path], *, on_result: Any, **kwargs: Any) -> Iterator[Any]:
        seen: list[Any] = []

        def held(result: Any) -> None:
            seen.append(result)
            if len(seen) == 2:
                assert gate.wait(60)
            on_result(result)

        return real(paths, on_result=held, **kwargs)

    monkeypatch.setattr(batch_module, "extract_many", one_then_wait)
    job_id = server.post([("a.txt", GOOD.encode()), ("b.txt", GOOD.encode())]).json()["id"]
    deadline = time.monotonic() + 60
    while (snapshot := server.client.get(f"/api/jobs/{job_id}").json())["done"] < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert snapshot["status"] == "running" and [f["status"] for f in snapshot["files"]] == ["done", "queued"]
    assert snapshot["files"][0]["figures"] == 1 and snapshot["downloads"] == {}
    assert server.client.get(f"/api/jobs/{job_id}/files/results.jsonl").status_code == 404  # not finished yet
    gate.set()
    assert server.wait(job_id)["done"] == 2


def test_web_failed_job_says_why(server: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    import extractor.batch as batch_module

    def broken(paths: list[Path], **kwargs: Any) -> Iterator[Any]:
        raise MemoryError("no room")

    monkeypatch.setattr(batch_module, "extract_many", broken)
    job = server.wait(server.post([("a.txt", GOOD.encode())]).json()["id"])
    assert job["status"] == "failed" and "MemoryError: no room" in job["error"] and job["downloads"] == {}


def test_web_zip_member_in_utf8_without_the_flag_keeps_its_name(server: Server) -> None:
    data = bytearray(_zip({"kế hoạch.txt": GOOD.encode()}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at : at + 2] = (int.from_bytes(data[at : at + 2], "little") & ~0x800).to_bytes(2, "little")
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as check:
        assert check.infolist()[0].filename != "kế hoạch.txt"  # as the format reads it: CP437
    job = server.wait(server.post([("a.zip", bytes(data))]).json()["id"])
    assert [f["name"] for f in job["files"]] == ["a.zip/kế hoạch.txt"]


def test_web_shutdown_deletes_every_job_folder(tmp_path: Path) -> None:
    for srv in _server(tmp_path):
        job_id = srv.post([("a.txt", GOOD.encode())]).json()["id"]
        srv.wait(job_id)
        root = srv.store.root
        assert (root / job_id / "out" / "bienche.xlsx").is_file()
    assert not root.exists()
