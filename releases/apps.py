from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "releases"
    verbose_name = "Press releases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created

        from releases import freshness, indexing, search
        from releases.models import tags

        indexing.connect_signals()
        freshness.connect_signals(self)
        # Accent-insensitive search on SQLite needs its fold function on each connection.
        connection_created.connect(
            search.register_sqlite_functions, dispatch_uid="search_sqlite_functions"
        )
        for connection in connections.all(initialized_only=True):
            search.register_sqlite_functions(connection=connection)
        tags.connect_signals()

        from releases.revisions import record, register_models
        from releases.signals import release_action

        register_models()
        release_action.connect(record.record_action, dispatch_uid="releases.revisions")
