"""The stash of a previewed import: bound to its organisation, user and kind; expiring; a
changed file is refused; expired files are cleaned away."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from core import imports
from core.imports import import_stash, import_stash_discard, import_stash_get

pytestmark = pytest.mark.django_db

SUMMARY = {"rows": 1, "new": 1, "updated": 0, "unchanged": 0, "removed": 0}


def _stash(world, content=b"code,description_en\n1C351,Pathogens\n"):
    return import_stash(
        organisation=world.organisation,
        user=world.users["manager"],
        kind="trade.import_control_list",
        content=content,
        filename="list.csv",
        summary=SUMMARY,
        params={"edition": ""},
    )


def _get(world, token, *, persona="manager", kind="trade.import_control_list"):
    organisation = world.other_organisation if persona == "outsider" else world.organisation
    return import_stash_get(
        token=token, organisation=organisation, user=world.users[persona], kind=kind
    )


def test_a_stashed_file_comes_back_for_its_user_only(world):
    token = _stash(world)
    stashed = _get(world, token)
    assert stashed.content.endswith(b"Pathogens\n") and stashed.summary == SUMMARY
    assert (stashed.filename, stashed.params) == ("list.csv", {"edition": ""})
    for persona, kind in [
        ("outsider", "trade.import_control_list"),
        ("staff", "trade.import_control_list"),
        ("manager", "trade.import_customs_catalogue"),
    ]:
        with pytest.raises(PermissionDenied):
            _get(world, token, persona=persona, kind=kind)
    import_stash_discard(stashed=stashed)
    with pytest.raises(ValidationError, match="already imported"):
        _get(world, token)


def test_an_expired_preview_is_refused_and_its_file_cleaned_away(world, monkeypatch):
    token = _stash(world)
    name = _get(world, token).name
    monkeypatch.setattr(imports, "STASH_MAX_AGE", timedelta(seconds=-1))
    with pytest.raises(ValidationError, match="expired"):
        _get(world, token)
    _stash(world, content=b"another file")  # stashing purges what expired
    assert not default_storage.exists(name)
