"""Exports of releases: the canonical dict, the formats, and streaming them.

- ``serialize``: ``release_to_dict`` and ``for_export`` (the prefetches exporters need);
- ``ninjs``: ``release_to_ninjs`` (IPTC ninjs 3.1);
- ``csv``, ``json`` (JSON and NDJSON), ``xlsx``, ``atom``: one writer per format;
- ``stream``: the registry of formats and the chunked iteration every export goes through.

The formats are documented in docs/export-formats.md.
"""
