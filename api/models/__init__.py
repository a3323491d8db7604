"""mongoengine documents: one module per collection."""

from api.models.access_log import AccessLog
from api.models.checkin import Checkin
from api.models.consent import Consent
from api.models.delivery import Delivery
from api.models.digest import Digest
from api.models.invitation import Invitation
from api.models.login_failure import LoginFailures
from api.models.part import Part
from api.models.push_subscription import PushSubscription
from api.models.questionnaire import QuestionnaireResponse
from api.models.token import Token
from api.models.user import User

__all__ = [
    "AccessLog",
    "Checkin",
    "Consent",
    "Delivery",
    "Digest",
    "Invitation",
    "LoginFailures",
    "Part",
    "PushSubscription",
    "QuestionnaireResponse",
    "Token",
    "User",
]
