from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from releases.middleware import RETRY_AFTER


@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means unhealthy
        response = JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return JsonResponse({"status": "ok", "database": "ok"})
