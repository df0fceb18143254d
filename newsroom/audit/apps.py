from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "newsroom.audit"
    label = "audit"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from newsroom.audit.receivers import record_release_action
        from releases.signals import release_action

        release_action.connect(record_release_action, dispatch_uid="audit_record_release_action")
