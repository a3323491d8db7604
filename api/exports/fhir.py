"""A client's shared figures as a FHIR R4 Bundle (type "collection") of Observations. Pure.

- Questionnaire totals: PHQ-9 as LOINC 44261-6, GAD-7 as LOINC 70274-6. PHQ-2 and GAD-2 are coded
  in our own CodeSystem rather than with a LOINC code we cannot vouch for here.
- Weekly mood: the mean of the week's daily mood ratings (0-10) as a valueQuantity with our own
  code, effectivePeriod the local ISO week, and the number of days behind it as a component.

The subject is `Patient/<pseudonym>`: an id that stands for the client towards this therapist
only. The Bundle holds that Patient first, with the client's name (the therapist's label for
them, else the name the client chose) when there is one; no email or account id is ever written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

#: Our CodeSystem for the figures LOINC has no code for.
CODE_SYSTEM = "https://partwise.app/fhir/CodeSystem/partwise-measures"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

#: instrument id -> (system, code, display)
QUESTIONNAIRE_CODES: Mapping[str, tuple[str, str, str]] = {
    "phq9": (
        LOINC,
        "44261-6",
        "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
    ),
    "gad7": (
        LOINC,
        "70274-6",
        "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
    ),
    "phq2": (CODE_SYSTEM, "phq2-total", "PHQ-2 total score"),
    "gad2": (CODE_SYSTEM, "gad2-total", "GAD-2 total score"),
}
WEEKLY_MOOD = (CODE_SYSTEM, "weekly-mood-mean", "Weekly mean of daily mood ratings (0-10)")
DAYS_WITH_VALUE = (CODE_SYSTEM, "days-with-value", "Days with a rating that week")
WEEKLY_MOOD_SD = (CODE_SYSTEM, "weekly-mood-sd", "Within-week SD of daily mood ratings")

_SCORE = {"unit": "{score}", "system": UCUM, "code": "{score}"}
_IDS = uuid.UUID("6b1f3c0e-6a3d-4f41-9d0a-3c2b8f1e5a77")  # namespace of our Observation ids


def _concept(coding: tuple[str, str, str]) -> dict[str, Any]:
    system, code, display = coding
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def _observation(pseudonym: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        # Stable: exporting the same figure twice gives the same id, for de-duplication.
        "id": str(uuid.uuid5(_IDS, f"{pseudonym}/{key}")),
        "status": "final",
        **body,
        "subject": {"reference": f"Patient/{pseudonym}", "type": "Patient"},
    }


def questionnaire_observation(pseudonym: str, response: Mapping[str, Any]) -> dict[str, Any]:
    """A questionnaire total on the day it was answered; the band as the interpretation text."""
    coding = QUESTIONNAIRE_CODES[response["instrument"]]
    day = response["local_date"].isoformat()
    return _observation(
        pseudonym,
        f"{coding[1]}/{response['client_id']}",
        {
            "category": _category("survey", "Survey"),
            "code": _concept(coding),
            "effectiveDateTime": day,
            "valueQuantity": {"value": response["total"], **_SCORE},
            "interpretation": [{"text": response["band_label"]}],
        },
    )


def weekly_mood_observation(pseudonym: str, point: Mapping[str, Any]) -> dict[str, Any]:
    """A week's mood mean (a point of `weekly_points`), with its days and SD as components."""
    components = [{"code": _concept(DAYS_WITH_VALUE), "valueInteger": point["n"]}]
    if point.get("sd") is not None:
        components.append(
            {"code": _concept(WEEKLY_MOOD_SD), "valueQuantity": {"value": point["sd"], **_SCORE}}
        )
    return _observation(
        pseudonym,
        f"{WEEKLY_MOOD[1]}/{point['week']}",
        {
            "category": _category("survey", "Survey"),
            "code": _concept(WEEKLY_MOOD),
            "effectivePeriod": {"start": point["start"], "end": point["end"]},
            "valueQuantity": {"value": point["mean"], **_SCORE},
            "component": components,
        },
    )


def patient(pseudonym: str, name: str | None) -> dict[str, Any]:
    """The client: the pseudonym as the id (an id, not a name), and the name as text if any."""
    resource: dict[str, Any] = {"resourceType": "Patient", "id": pseudonym}
    if name:
        resource["name"] = [{"text": name}]
    return resource


def bundle(
    pseudonym: str,
    name: str | None,
    weekly_mood: Iterable[Mapping[str, Any]],
    responses: Iterable[Mapping[str, Any]],
    generated_at: dt.datetime,
) -> dict[str, Any]:
    """The Bundle: the Patient, weekly mood means (weeks with a rating only), then questionnaire
    totals."""
    observations = [weekly_mood_observation(pseudonym, p) for p in weekly_mood if p["n"]]
    observations += [questionnaire_observation(pseudonym, r) for r in responses]
    client = {
        "fullUrl": f"urn:uuid:{uuid.uuid5(_IDS, f'Patient/{pseudonym}')}",
        "resource": patient(pseudonym, name),
    }
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": generated_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        "entry": [client]
        + [{"fullUrl": f"urn:uuid:{o['id']}", "resource": o} for o in observations],
    }
