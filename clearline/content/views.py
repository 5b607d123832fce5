from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from clearline.lib.pagecache import mark_cacheable


def where_calls_go(request: HttpRequest) -> HttpResponse:
    """The standalone disclosure page: works without JavaScript; the dialog shows the same generated text."""
    return mark_cacheable(render(request, "content/where_calls_go.html"))
