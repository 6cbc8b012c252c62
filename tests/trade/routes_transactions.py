"""Permission-table rows for transaction review: pages, actions and the API."""

import datetime

from tests.routes import EDITORS, EVERY_MEMBER, READERS, Route, expect, own_record
from tests.screening.factories_parties import PartyFactory
from tests.trade.factories_transactions import ItemFactory
from trade.models import Classification, Licence, PartyRole, TransactionItem, TransactionParty
from trade.services.transaction import transaction_create

DRAFTERS = expect(auditor=403, executive=403)  # compliance managers and staff
REDIRECT = 302


def _transaction(world):
    transaction = transaction_create(
        organisation=world.organisation,
        user=world.users["staff"],
        reference="SO-ROUTE-1",
        destination_country="DE",
        end_use="Machine tools",
    )
    return transaction


def _tx(world):
    return [_transaction(world).pk]


def _line(world):
    transaction = _transaction(world)
    item = ItemFactory(organisation=world.organisation)
    line = TransactionItem.objects.create(
        organisation=world.organisation, transaction=transaction, item=item, quantity=1, value=1
    )
    return [transaction.pk, line.pk]


def _link(world):
    transaction = _transaction(world)
    link = TransactionParty.objects.create(
        organisation=world.organisation,
        transaction=transaction,
        role=PartyRole.BANK,
        party=PartyFactory(organisation=world.organisation),
    )
    return [transaction.pk, link.pk]


def _answer(world):
    from reference.models import RedFlag
    from trade.models import RedFlagAnswer

    transaction = _transaction(world)
    answer, _created = RedFlagAnswer.objects.update_or_create(
        organisation=world.organisation,
        transaction=transaction,
        red_flag=RedFlag.objects.get(framework__is_current=True, ref_id="RF-CN-04"),
        defaults={"answer": "unknown"},
    )
    return [transaction.pk, answer.pk]


def _item(world):
    return [ItemFactory(organisation=world.organisation).pk]


def _classification(world):
    item = ItemFactory(organisation=world.organisation)
    classification = Classification.objects.create(
        organisation=world.organisation,
        item=item,
        status="not_listed",
        rationale="Not listed: parameters below every threshold.",
        classified_by=world.users["staff"],
    )
    return [item.pk, classification.pk]


def _consultation(world):
    from trade.models import MofcomConsultation

    item_pk, classification_pk = _classification(world)
    consultation = MofcomConsultation.objects.create(
        organisation=world.organisation,
        item_id=item_pk,
        classification_id=classification_pk,
        asked_on=datetime.date.today(),
        question="Encoder 26 bit, robot joints.",
        unsure_reason="Threshold applies to systems.",
        asked_by=world.users["staff"],
    )
    return [item_pk, consultation.pk]


def _licence(world):
    today = datetime.date.today()
    licence = Licence.objects.create(
        organisation=world.organisation,
        number="LIC-ROUTE",
        kind="general",
        issued_on=today,
        valid_from=today,
        valid_until=today + datetime.timedelta(days=300),
        destinations=["DE"],
    )
    return [licence.pk]


def _duty(world):
    from trade.models import PostShipmentDuty

    args = _tx(world)
    licence = Licence.objects.create(
        organisation=world.organisation,
        number="LIC-DUTY",
        kind="single",
        issued_on=datetime.date.today(),
        valid_from=datetime.date.today(),
        valid_until=datetime.date.today() + datetime.timedelta(days=300),
        destinations=["DE"],
    )
    duty = PostShipmentDuty.objects.create(
        organisation=world.organisation,
        transaction_id=args[0],
        licence=licence,
        kind="arrival",
        due_on=datetime.date.today(),
    )
    return [args[0], duty.pk]


# POSTs to action endpoints answer with a redirect back to the page (the service decides,
# and says why in a message), or 403/404 for people who may not act or records they cannot see.
POST_DRAFTERS = own_record(expect(manager=REDIRECT, auditor=403, executive=403, staff=REDIRECT))
POST_EDITORS = own_record(expect(manager=REDIRECT, auditor=403, executive=403, staff=403))
# A form sent empty, or an action the state refuses: the page is shown again with the errors.
FORM_DRAFTERS = own_record(expect(auditor=403, executive=403))
FORM_EDITORS = own_record(expect(auditor=403, executive=403, staff=403))
API = expect(anonymous=401, manager=401, auditor=401, executive=401, staff=401, outsider=401)

ROUTES = [
    Route("transactions:queue", EVERY_MEMBER),
    Route("transactions:transaction_create", DRAFTERS),
    Route("transactions:transaction_import", DRAFTERS),
    Route("transactions:transaction_detail", own_record(EVERY_MEMBER), args=_tx),
    Route("transactions:transaction_edit", own_record(DRAFTERS), args=_tx),
    Route("transactions:transaction_pdf", own_record(READERS), args=_tx),
    Route("transactions:line_add", FORM_DRAFTERS, args=_tx, method="post"),
    Route(
        "transactions:line_update",
        POST_DRAFTERS,
        args=_line,
        method="post",
        data=lambda w: {"quantity": "2", "value": "3"},
    ),
    Route("transactions:line_remove", POST_DRAFTERS, args=_line, method="post"),
    Route("transactions:licence_path", own_record(EVERY_MEMBER), args=_line),
    # The route's line has an unclassified item: the walk shows the page again with the error.
    Route(
        "transactions:licence_path_walk",
        own_record(expect(auditor=403, executive=403)),
        args=_line,
        method="post",
    ),
    Route("transactions:licence_path_confirm", POST_EDITORS, args=_line, method="post"),
    Route("transactions:party_add", FORM_DRAFTERS, args=_tx, method="post"),
    Route("transactions:party_remove", POST_DRAFTERS, args=_link, method="post"),
    Route("transactions:euc_record", POST_DRAFTERS, args=_tx, method="post"),
    Route("transactions:document_upload", POST_DRAFTERS, args=_tx, method="post"),
    Route("transactions:licence_decide", FORM_EDITORS, args=_tx, method="post"),
    Route("transactions:red_flags_answer", POST_DRAFTERS, args=_tx, method="post"),
    Route(
        "transactions:red_flag_resolve",
        POST_EDITORS,
        args=_answer,
        method="post",
        data=lambda w: {"justification": "Checked and cleared by phone."},
    ),
    Route("transactions:transaction_screen", POST_DRAFTERS, args=_tx, method="post"),
    Route("transactions:transaction_submit", POST_DRAFTERS, args=_tx, method="post"),
    Route("transactions:transaction_approve", FORM_EDITORS, args=_tx, method="post"),
    Route(
        "transactions:transaction_reject",
        POST_EDITORS,
        args=_tx,
        method="post",
        data=lambda w: {"reason": "Not our customer."},
    ),
    Route(
        "transactions:transaction_hold",
        POST_EDITORS,
        args=_tx,
        method="post",
        data=lambda w: {"reason": "Waiting for the EUC."},
    ),
    Route(
        "transactions:transaction_release",
        FORM_EDITORS,  # the route's transaction is a draft: "not on hold"
        args=_tx,
        method="post",
        data=lambda w: {"reason": "EUC received."},
    ),
    Route("transactions:transaction_shipped", FORM_EDITORS, args=_tx, method="post"),
    # Sent empty: the page comes back with the error.
    Route("transactions:duty_complete", FORM_EDITORS, args=_duty, method="post"),
    Route("transactions:item_list", EVERY_MEMBER),
    Route("transactions:item_create", DRAFTERS),
    Route("transactions:item_detail", own_record(EVERY_MEMBER), args=_item),
    Route("transactions:item_edit", own_record(DRAFTERS), args=_item),
    Route("transactions:item_classify", own_record(DRAFTERS), args=_item),
    Route("transactions:classification_review", POST_EDITORS, args=_classification, method="post"),
    Route("transactions:item_consult", own_record(DRAFTERS), args=_item),
    Route("transactions:consultation_answer", own_record(DRAFTERS), args=_consultation),
    Route("transactions:control_list", EVERY_MEMBER),
    Route("transactions:control_list_import", EDITORS),
    Route("transactions:customs_catalogue", EVERY_MEMBER),
    Route("transactions:customs_catalogue_import", EDITORS),
    Route("transactions:licence_list", READERS),
    Route("transactions:licence_create", EDITORS),
    Route("transactions:licence_detail", own_record(READERS), args=_licence),
    Route("transactions:licence_edit", own_record(EDITORS), args=_licence),
    # The route's licence is a general licence: the page comes back with the refusal.
    Route(
        "transactions:voucher_lapsed",
        own_record(expect(auditor=403, executive=403, staff=403)),
        args=_licence,
        method="post",
    ),
    # The API takes tokens, never a browser session: every session user gets 401.
    Route("api:transaction_create", API, method="post"),
    Route("api:transaction_decision", API, args=lambda w: ["SO-ROUTE-1"]),
]
