"""Running Newsroom: backups and restore (``backup_newsroom``, ``restore_newsroom``) and
the readiness check (``/readyz``). No models. See docs/operations.md."""
