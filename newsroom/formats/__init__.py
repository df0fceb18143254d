"""Format overrides (``FORMAT_MODULE_PATH``): date-times always name their time zone."""
