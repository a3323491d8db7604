"""The parts rules without HTTP: names, archiving, deleting (api.services.parts)."""

import datetime as dt

import pytest
from bson import ObjectId

from api.models import Checkin, Part
from api.models.checkin import ActivePart
from api.services import parts

NOW = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def owner(app) -> ObjectId:
    return ObjectId()


def test_a_name_is_stored_without_surrounding_spaces(owner):
    part = parts.create(owner, {"name": "  The Critic  ", "role": "manager"})
    assert Part.objects.get(id=part.id).name == "The Critic"


def test_a_name_taken_by_an_active_part_is_refused_in_any_case(owner):
    parts.create(owner, {"name": "The Critic"})
    with pytest.raises(parts.PartNameTaken) as refused:
        parts.create(owner, {"name": " the critic "})
    assert str(refused.value) == "You already have a part called 'the critic'."
    assert Part.objects(owner=owner).count() == 1


def test_another_clients_names_do_not_count(owner):
    parts.create(ObjectId(), {"name": "The Critic"})
    assert parts.create(owner, {"name": "The Critic"}).name == "The Critic"


def test_an_archived_part_leaves_its_name_free(owner):
    critic = parts.create(owner, {"name": "The Critic"})
    parts.change(critic, {"archived": True}, NOW)
    assert parts.create(owner, {"name": "The Critic"}).archived_at is None


def test_archiving_again_keeps_the_first_date(owner):
    critic = parts.create(owner, {"name": "The Critic"})
    parts.change(critic, {"archived": True}, NOW)
    later = parts.change(critic, {"archived": True, "needs": "Rest"}, NOW + dt.timedelta(days=1))
    assert later.archived_at.replace(tzinfo=dt.UTC) == NOW
    assert later.needs == "Rest"


def test_bringing_a_part_back_under_a_taken_name_is_refused(owner):
    critic = parts.create(owner, {"name": "The Critic"})
    parts.change(critic, {"archived": True}, NOW)
    parts.create(owner, {"name": "the Critic"})
    with pytest.raises(parts.PartNameTaken):
        parts.change(critic, {"archived": False}, NOW)
    assert Part.objects.get(id=critic.id).archived_at is not None


def test_a_part_may_change_the_case_of_its_own_name(owner):
    critic = parts.create(owner, {"name": "The Critic"})
    assert parts.change(critic, {"name": " the critic"}, NOW).name == "the critic"


def test_renaming_to_another_active_parts_name_is_refused(owner):
    parts.create(owner, {"name": "The Critic"})
    worrier = parts.create(owner, {"name": "The Worrier"})
    with pytest.raises(parts.PartNameTaken):
        parts.change(worrier, {"name": "THE CRITIC"}, NOW)


def test_an_archived_part_may_take_any_name(owner):
    parts.create(owner, {"name": "The Critic"})
    worrier = parts.create(owner, {"name": "The Worrier"})
    assert parts.change(worrier, {"archived": True, "name": "The Critic"}, NOW).name == "The Critic"


def test_listed_leaves_archived_parts_out_unless_asked(owner):
    kept = parts.create(owner, {"name": "Kept"})
    gone = parts.change(parts.create(owner, {"name": "Gone"}), {"archived": True}, NOW)
    assert [p.id for p in parts.listed(owner)] == [kept.id]
    assert [p.id for p in parts.listed(owner, include_archived=True)] == [kept.id, gone.id]


def _mention(part: Part, deleted_at=None) -> None:
    Checkin(
        owner=part.owner,
        client_id=str(ObjectId()),
        payload_hash="0" * 64,
        local_date=NOW.date(),
        recorded_at=NOW,
        parts=[ActivePart(part=part.id, intensity=5)],
        deleted_at=deleted_at,
    ).save()


def test_a_part_no_check_in_mentions_is_deleted(owner):
    critic = parts.create(owner, {"name": "The Critic"})
    parts.delete(critic)
    assert Part.objects(id=critic.id).first() is None


def test_a_part_a_check_in_mentions_can_only_be_archived(owner):
    critic = parts.create(owner, {"name": "The Critic"})
    _mention(critic)
    with pytest.raises(parts.PartMentioned) as refused:
        parts.delete(critic)
    assert str(refused.value) == "Check-ins mention this part: archive it instead of deleting it."
    assert Part.objects(id=critic.id).first() is not None


def test_a_deleted_check_in_does_not_keep_a_part(owner):
    critic = parts.create(owner, {"name": "The Critic"})
    _mention(critic, deleted_at=NOW)
    parts.delete(critic)
    assert Part.objects(id=critic.id).first() is None
