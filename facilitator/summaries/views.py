"""Summaries pages."""

from flask import Blueprint

bp = Blueprint("summaries", __name__)
