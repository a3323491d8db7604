"""mongoengine documents: one module per collection."""

from api.models.checkin import Checkin
from api.models.digest import Digest
from api.models.part import Part
from api.models.questionnaire import QuestionnaireResponse
from api.models.token import Token
from api.models.user import User

__all__ = [
    "Checkin",
    "Digest",
    "Part",
    "QuestionnaireResponse",
    "Token",
    "User",
]
