"""The repository stands alone: a clone with nothing beside it tests itself."""

import re
from pathlib import Path

from tests.standards import CASES_DIR, NINJS_CONFORMANCE_DIR, NINJS_SCHEMA_3_1

ROOT = Path(__file__).resolve().parents[1]
CODE_DIRS = ("newsroom", "releases", "tests", "bench", "templates")
# The workplace's folder beside the clone, however the path to it is spelled.
OUTSIDE = re.compile(r"\.\./shared|[\"'/]shared/(standards|cases|PRODUCT)")


def test_no_code_or_test_reads_outside_the_repository():
    offenders = []
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt", ".cfg", ".toml"}:
                continue
            if path == Path(__file__) or path.is_relative_to(ROOT / "tests" / "cases"):
                continue  # field cases are data, their README describes where they came from
            text = path.read_text(encoding="utf-8", errors="replace")
            offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in OUTSIDE.finditer(text)]
    assert offenders == []


def test_the_standards_the_tests_use_are_in_the_repository_with_their_licence():
    assert NINJS_SCHEMA_3_1.is_file()
    assert "MIT License" in (NINJS_CONFORMANCE_DIR / "LICENSE").read_text()
    assert any((NINJS_CONFORMANCE_DIR / "validation" / "test_suite" / "3.1").rglob("*.json"))
    assert (CASES_DIR / "README.md").is_file()
