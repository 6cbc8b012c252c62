"""The transaction page's inline forms, refused: the page shows again with what was typed, and
nothing is saved (not even the answers of the questionnaire that were acceptable)."""

import pytest
from django.urls import reverse

from tests.test_form_errors import _flag_answers, _tx_flag_from_data
from tests.trade.routes_transactions import _line
from trade.models import RedFlagAnswer, TransactionItem

pytestmark = pytest.mark.django_db


def test_a_refused_line_change_keeps_the_line_as_it_was(world):
    pk, line_pk = _line(world)
    response = world.client("staff").post(
        reverse("transactions:line_update", args=[pk, line_pk]),
        {"quantity": "-3", "value": "99"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="-3"' in html and 'value="99"' in html
    assert 'data-testid="line-update-errors"' in html
    line = TransactionItem.objects.get(pk=line_pk)
    assert (line.quantity, line.value) == (1, 1)


def test_a_refused_questionnaire_saves_none_of_its_answers(world, reference):
    (pk,) = _tx_flag_from_data(world)
    data = _flag_answers(world)
    before = set(RedFlagAnswer.objects.filter(transaction_id=pk).values_list("pk", "answer"))
    response = world.client("staff").post(reverse("transactions:red_flags_answer", args=[pk]), data)
    assert response.status_code == 200
    assert "the data says yes" in response.content.decode()
    after = set(RedFlagAnswer.objects.filter(transaction_id=pk).values_list("pk", "answer"))
    assert after == before
    assert 'value="unknown" selected' in response.content.decode()  # the answer as typed
