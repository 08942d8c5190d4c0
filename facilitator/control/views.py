"""The facilitator's control room."""

from flask import Blueprint

bp = Blueprint("control", __name__)
