"""A public release as files a journalist takes away: wire-copy PDF and plain text."""
