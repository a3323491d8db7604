"""mongoengine documents: one module per collection."""

from api.models.checkin import Checkin
from api.models.part import Part
from api.models.token import Token
from api.models.user import User

__all__ = ["Checkin", "Part", "Token", "User"]
