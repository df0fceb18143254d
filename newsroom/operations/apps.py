from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "newsroom.operations"
    label = "operations"
    verbose_name = "Operations"
