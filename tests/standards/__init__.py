"""Paths of the third-party standards kept as test data (see README.md here)."""

from pathlib import Path

STANDARDS_DIR = Path(__file__).resolve().parent
NINJS_CONFORMANCE_DIR = STANDARDS_DIR / "ninjs-conformance"
NINJS_SCHEMA_3_1 = NINJS_CONFORMANCE_DIR / "specification" / "ninjs-schema_3.1.json"
CASES_DIR = STANDARDS_DIR.parent / "cases"
