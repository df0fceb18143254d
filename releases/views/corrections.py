"""``/corrections/``: the public log of corrections, newest first, 20 a page.

Queries, whatever the data: the version (``public_last_modified``), the count and the
page of corrections with their releases' headline and slug; 1 for a 304. A page past
the end is a 404, a page number that is not a whole number a 400.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import render

from releases.corrections import public_corrections
from releases.freshness import public_last_modified
from releases.seo import corrections_feed_links
from releases.views.conditional import Validators


def corrections_log(request):
    version = public_last_modified()
    number = request.GET.get("page", "1").strip() or "1"
    validators = Validators.of(version.isoformat(), request.path, number, last_modified=version)
    if response := validators.not_modified(request):
        return response
    paginator = Paginator(public_corrections(), settings.NEWSROOM_PAGE_SIZE)
    try:
        page = paginator.page(number)
    except PageNotAnInteger:
        context = {"message": "The page number must be a whole number."}
        return render(request, "400.html", context, status=400)
    except EmptyPage as exc:
        raise Http404("No such page of corrections.") from exc
    context = {
        "page_obj": page,
        "corrections": page.object_list,
        "feed_links": corrections_feed_links(),
    }
    return validators.apply(render(request, "releases/corrections.html", context))
