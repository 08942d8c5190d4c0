"""Presenter pages."""

from flask import Blueprint

bp = Blueprint("presenter", __name__)
