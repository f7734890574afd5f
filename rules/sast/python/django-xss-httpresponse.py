from django.http import HttpResponse, HttpResponseNotFound, JsonResponse
from django.shortcuts import render
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .models import Article


def greet(request):
    name = request.GET.get("name", "guest")
    # ruleid: python.django-xss-httpresponse
    return HttpResponse("<h1>Hello " + name + "</h1>")


def article(request, slug):
    try:
        item = Article.objects.get(slug=slug)
    except Article.DoesNotExist:
        q = request.GET.get("ref", "")
        # ruleid: python.django-xss-httpresponse
        return HttpResponseNotFound(f"<p>No article for {q}</p>")
    return render(request, "article.html", {"item": item})


def preview(request):
    body = request.POST["body"]
    # ruleid: python.django-xss-httpresponse
    return render(request, "preview.html", {"body": mark_safe(body)})


def greet_safe(request):
    name = request.GET.get("name", "guest")
    # ok: python.django-xss-httpresponse
    return HttpResponse("<h1>Hello " + escape(name) + "</h1>")


def greet_fragment(request):
    name = request.GET.get("name", "guest")
    # ok: python.django-xss-httpresponse
    return HttpResponse(format_html("<h1>Hello {}</h1>", name))


def search(request):
    q = request.GET.get("q", "")
    # ok: python.django-xss-httpresponse
    return render(request, "search.html", {"q": q})


def export(request):
    q = request.GET.get("q", "")
    # ok: python.django-xss-httpresponse
    return HttpResponse(q, content_type="text/plain")


def api(request):
    q = request.GET.get("q", "")
    # ok: python.django-xss-httpresponse
    return JsonResponse({"q": q, "label": mark_safe("<b>beta</b>")})
