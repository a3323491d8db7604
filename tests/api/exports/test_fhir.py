import datetime as dt

from api.exports import fhir
from tests.support.fhir import r4_errors

NOW = dt.datetime(2026, 3, 30, 9, 5, tzinfo=dt.UTC)
PSEUDONYM = "3f9a1c2b7d4e4f6a8b0c1d2e3f4a5b6c"
RESPONSE = {
    "instrument": "phq9",
    "client_id": "c1",
    "local_date": dt.date(2026, 3, 3),
    "total": 8,
    "band_label": "score in the mild range",
}


def test_the_patient_comes_first_with_the_pseudonym_as_id_and_the_name_as_text():
    bundle = fhir.bundle(PSEUDONYM, "Maya R.", [], [RESPONSE], NOW)
    assert r4_errors(bundle) == []
    patient = bundle["entry"][0]["resource"]
    assert patient == {"resourceType": "Patient", "id": PSEUDONYM, "name": [{"text": "Maya R."}]}
    observation = bundle["entry"][1]["resource"]
    assert observation["subject"]["reference"] == f"Patient/{PSEUDONYM}"


def test_a_client_without_a_name_has_none_in_the_bundle():
    bundle = fhir.bundle(PSEUDONYM, None, [], [], NOW)
    assert r4_errors(bundle) == []
    assert bundle["entry"] == [
        {
            "fullUrl": bundle["entry"][0]["fullUrl"],
            "resource": {"resourceType": "Patient", "id": PSEUDONYM},
        }
    ]


def test_the_patients_entry_is_the_same_in_every_export():
    first = fhir.bundle(PSEUDONYM, "Maya", [], [], NOW)["entry"][0]["fullUrl"]
    again = fhir.bundle(PSEUDONYM, "Maya R.", [], [], NOW)["entry"][0]["fullUrl"]
    assert first == again and first.startswith("urn:uuid:")
