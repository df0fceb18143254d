"""Demo content for a fresh newsroom: ``manage.py load_demo`` loads it.

``content`` holds the invented organizations, people and releases as plain Python
data; ``loader`` writes them to the database idempotently.
"""
