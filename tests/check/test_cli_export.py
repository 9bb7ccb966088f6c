"""`deepdraft check` and `deepdraft export --check-comments` on a project written by a
real (replay) run: the flags as JSON, Word comments anchored on the flagged sentences,
Markdown footnotes."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from docx import Document

from .test_recorded import written_project

BIN = Path(sys.executable).parent


def deepdraft(*args, home):
    env = {**os.environ, "DEEPDRAFT_HOME": str(home)}
    return subprocess.run([str(BIN / "deepdraft"), *args], capture_output=True, text=True,
                          env=env, timeout=300)


def test_check_lists_flags_and_exits_zero(tmp_path, small_library, replay_file, deepdraft_home):
    store = written_project(tmp_path, replay_file)
    store.close()
    result = deepdraft("check", str(store.path), "--json", home=deepdraft_home)
    assert result.returncode == 0, result.stderr
    flags = json.loads(result.stdout)
    assert [(f["section"], f["kind"]) for f in flags] == [("1", "figure"), ("1", "name")]
    assert set(flags[0]) >= {"section", "sentence", "kind", "detail", "keys"}
    assert flags[0]["sentence"].startswith("Aid agencies estimated that 45 million")
    text = deepdraft("check", str(store.path), "--no-relevance", home=deepdraft_home)
    assert text.returncode == 0 and text.stdout.strip().endswith("2 sentences to check")


def test_check_of_a_project_with_nothing_to_flag_exits_zero(tmp_path, deepdraft_home):
    from engine.warp.run_factory import create_project

    create_project(tmp_path / "empty.ddproj", "q").close()
    result = deepdraft("check", str(tmp_path / "empty.ddproj"), home=deepdraft_home)
    assert result.returncode == 0, result.stderr
    assert "0 sentences to check" in result.stdout


def test_export_puts_a_comment_on_each_flagged_sentence(tmp_path, small_library, replay_file,
                                                        deepdraft_home):
    store = written_project(tmp_path, replay_file)
    store.close()
    docx, md = tmp_path / "r.docx", tmp_path / "r.md"
    result = deepdraft("export", str(store.path), "--docx", str(docx), "--md", str(md),
                       "--check-comments", home=deepdraft_home)
    assert result.returncode == 0, result.stderr
    assert "2 sentence(s) commented" in result.stdout
    with zipfile.ZipFile(docx) as archive:
        comments = archive.read("word/comments.xml").decode()
        body = archive.read("word/document.xml").decode()
    assert "figure 45 million not in its sources (they say 33 million)" in comments
    assert 'name "Prime Minister Imran Khan"' in comments
    # each range covers exactly its sentence: the text between start and end markers
    spans = re.findall(r'<w:commentRangeStart w:id="(\d+)"/>(.*?)<w:commentRangeEnd w:id="\1"/>',
                       body, re.S)
    covered = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml)) for _, xml in spans]
    assert covered == ["Aid agencies estimated that 45 million people were affected [1][2][3].",
                       "Prime Minister Imran Khan visited the camps [1][2][3]."]
    assert "\ue002" not in body and "\ue004" not in body
    assert len(Document(str(docx)).comments) == 2
    markdown = md.read_text(encoding="utf-8")
    assert "were affected [1][2][3].[^check-1] Prime Minister" in markdown
    assert "[^check-1]: Claim check. Figure: figure 45 million not in its sources" in markdown
