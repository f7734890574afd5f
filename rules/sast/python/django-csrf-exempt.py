from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST


# ruleid: python.django-csrf-exempt
@csrf_exempt
def transfer(request):
    return JsonResponse({"ok": True})


# ruleid: python.django-csrf-exempt
@method_decorator(csrf_exempt, name="dispatch")
class ProfileView(View):
    def post(self, request):
        return JsonResponse({"ok": True})


def _legacy_hook(request):
    return JsonResponse({"ok": True})


# ruleid: python.django-csrf-exempt
legacy_hook = csrf_exempt(_legacy_hook)


# ok: python.django-csrf-exempt
@require_POST
def update_email(request):
    return JsonResponse({"ok": True})


# ok: python.django-csrf-exempt
@csrf_protect
def change_password(request):
    return JsonResponse({"ok": True})


# ok: python.django-csrf-exempt
class SettingsView(View):
    def post(self, request):
        return JsonResponse({"ok": True})
