from django.db.models.expressions import RawSQL
from django.http import JsonResponse

from .models import Customer, Order


def customer_search(request):
    name = request.GET.get("name", "")
    # ruleid: python.sqli-django-raw
    people = Customer.objects.raw(f"SELECT * FROM shop_customer WHERE name LIKE '%{name}%'")
    return JsonResponse({"ids": [p.id for p in people]})


def orders_since(request):
    since = request.POST["since"]
    # ruleid: python.sqli-django-raw
    orders = Order.objects.extra(where=["created >= '%s'" % since])
    return JsonResponse({"count": orders.count()})


def orders_ranked(request):
    expr = "total * " + request.GET["weight"]
    # ruleid: python.sqli-django-raw
    orders = Order.objects.annotate(rank=RawSQL(expr, []))
    return JsonResponse({"ids": list(orders.values_list("id", flat=True))})


def customer_lookup(request):
    name = request.GET.get("name", "")
    # ok: python.sqli-django-raw
    people = Customer.objects.raw("SELECT * FROM shop_customer WHERE name = %s", [name])
    return JsonResponse({"ids": [p.id for p in people]})


def orders_after(request):
    since = request.POST["since"]
    # ok: python.sqli-django-raw
    orders = Order.objects.extra(where=["created >= %s"], params=[since])
    return JsonResponse({"count": orders.count()})


def orders_top(request):
    limit = int(request.GET.get("limit", "10"))
    # ok: python.sqli-django-raw
    orders = Order.objects.raw(f"SELECT * FROM shop_order ORDER BY total DESC LIMIT {limit}")
    return JsonResponse({"ids": [o.id for o in orders]})


def orders_filtered(request):
    status = request.GET.get("status")
    # ok: python.sqli-django-raw
    orders = Order.objects.filter(status=status).annotate(rank=RawSQL("total * %s", [request.GET["weight"]]))
    return JsonResponse({"ids": list(orders.values_list("id", flat=True))})
