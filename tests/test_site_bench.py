"""The reader's-side benchmark serves the site as GitHub Pages does (tools/site_bench.py)."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import pytest

from tools.site_bench import pages, serve


def get(url: str, gzip_ok: bool = True) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip" if gzip_ok else ""})
    with urllib.request.urlopen(request, timeout=10) as response:
        return dict(response.headers), response.read()


def test_text_is_gzipped_images_are_not_and_only_the_sub_path_exists(tmp_path):
    (tmp_path / "en").mkdir()
    html = "<p>" + "text " * 500 + "</p>"
    (tmp_path / "en" / "index.html").write_text(html)
    (tmp_path / "a.png").write_bytes(b"\x89PNG" + bytes(300))
    with serve(tmp_path) as url:
        headers, body = get(url + "en/")
        assert headers["Content-Encoding"] == "gzip" and gzip.decompress(body).decode() == html
        assert len(body) < len(html) / 5
        assert "max-age=600" in headers["Cache-Control"]
        headers, body = get(url + "en/", gzip_ok=False)
        assert "Content-Encoding" not in headers and body.decode() == html
        headers, body = get(url + "a.png")
        assert "Content-Encoding" not in headers and body.startswith(b"\x89PNG")
        with pytest.raises(urllib.error.HTTPError, match="404"):
            get(url.replace("/inside-tinycnn/", "/") + "a.png")
    assert pages(tmp_path) == ["en/"]
