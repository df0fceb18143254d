"""The audit log: who did what to which release, and when (``AuditEvent``)."""
