from django.http import JsonResponse
from flask import Flask, request

from .db import db
from .models import Account, Profile, User, UserCreate

app = Flask(__name__)


@app.route("/users", methods=["POST"])
def create_user():
    # ruleid: python.mass-assignment
    user = User(**request.get_json())
    db.session.add(user)
    db.session.commit()
    return {"id": user.id}, 201


@app.route("/users/<int:user_id>", methods=["PATCH"])
def update_user(user_id):
    user = User.query.get_or_404(user_id)
    for key, value in request.get_json().items():
        # ruleid: python.mass-assignment
        setattr(user, key, value)
    db.session.commit()
    return {"id": user.id}


def django_signup(request):
    # ruleid: python.mass-assignment
    account = Account.objects.create(**request.POST.dict())
    return JsonResponse({"id": account.id})


def django_profile(request, pk):
    data = request.POST.dict()
    # ruleid: python.mass-assignment
    Profile.objects.filter(pk=pk).update(**data)
    return JsonResponse({"ok": True})


@app.route("/users/safe", methods=["POST"])
def create_user_safe():
    payload = request.get_json()
    # ok: python.mass-assignment
    user = User(name=payload["name"], email=payload["email"])
    db.session.add(user)
    db.session.commit()
    return {"id": user.id}, 201


@app.route("/users/validated", methods=["POST"])
def create_user_validated():
    # ok: python.mass-assignment
    data = UserCreate(**request.get_json())
    user = User(name=data.name, email=data.email)
    db.session.add(user)
    return {"id": user.id}, 201


@app.route("/users/<int:user_id>/prefs", methods=["PATCH"])
def update_prefs(user_id):
    user = User.query.get_or_404(user_id)
    for key in ("theme", "language"):
        if key in request.form:
            # ok: python.mass-assignment
            setattr(user, key, request.form[key])
    db.session.commit()
    return {"id": user.id}
