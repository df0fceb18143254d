"""The bare "hello" view and its urlconf. Never part of the product's URLs."""

from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("Hello, world.", content_type="text/plain")


urlpatterns = [path("", hello, name="hello")]
