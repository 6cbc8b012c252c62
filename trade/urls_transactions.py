"""Transaction review (E4): the queue, transactions, items and classification, the control
list and the licence register. Mounted at /trade/ under the namespace "transactions"."""

from django.urls import path

from .views import items, licences, reference_lists
from .views.transactions import detail, edit, imports, paths, queue, review

app_name = "transactions"

urlpatterns = [
    path("transactions/", queue.TransactionQueueView.as_view(), name="queue"),
    path("transactions/new/", edit.transaction_create, name="transaction_create"),
    path("transactions/import/", imports.transaction_import_view, name="transaction_import"),
    path("transactions/<int:pk>/", detail.transaction_detail, name="transaction_detail"),
    path("transactions/<int:pk>/edit/", edit.transaction_edit, name="transaction_edit"),
    path("transactions/<int:pk>/items/", edit.line_add, name="line_add"),
    path("transactions/<int:pk>/items/<int:line_pk>/", edit.line_update, name="line_update"),
    path("transactions/<int:pk>/items/<int:line_pk>/remove/", edit.line_remove, name="line_remove"),
    path(
        "transactions/<int:pk>/items/<int:line_pk>/path/",
        paths.licence_path,
        name="licence_path",
    ),
    path(
        "transactions/<int:pk>/items/<int:line_pk>/path/walk/",
        paths.licence_path_walk,
        name="licence_path_walk",
    ),
    path(
        "transactions/<int:pk>/items/<int:line_pk>/path/confirm/",
        paths.licence_path_confirm,
        name="licence_path_confirm",
    ),
    path("transactions/<int:pk>/parties/", edit.party_add, name="party_add"),
    path(
        "transactions/<int:pk>/parties/<int:link_pk>/remove/",
        edit.party_remove,
        name="party_remove",
    ),
    path("transactions/<int:pk>/euc/", edit.euc_record, name="euc_record"),
    path("transactions/<int:pk>/documents/", edit.document_upload, name="document_upload"),
    path("transactions/<int:pk>/licence/", edit.licence_decide, name="licence_decide"),
    path("transactions/<int:pk>/red-flags/", review.red_flags_answer, name="red_flags_answer"),
    path(
        "transactions/<int:pk>/red-flags/<int:answer_pk>/resolve/",
        review.red_flag_resolve,
        name="red_flag_resolve",
    ),
    path("transactions/<int:pk>/screen/", review.screen_parties, name="transaction_screen"),
    path("transactions/<int:pk>/submit/", review.submit, name="transaction_submit"),
    path("transactions/<int:pk>/approve/", review.approve, name="transaction_approve"),
    path("transactions/<int:pk>/reject/", review.reject, name="transaction_reject"),
    path("transactions/<int:pk>/hold/", review.hold, name="transaction_hold"),
    path("transactions/<int:pk>/release/", review.release, name="transaction_release"),
    path("transactions/<int:pk>/shipped/", review.mark_shipped, name="transaction_shipped"),
    path(
        "transactions/<int:pk>/reports/<int:duty_pk>/done/",
        review.duty_complete,
        name="duty_complete",
    ),
    path(
        "transactions/<int:pk>/review-record.pdf", detail.review_record_pdf, name="transaction_pdf"
    ),
    path("items/", items.ItemListView.as_view(), name="item_list"),
    path("items/new/", items.item_create_view, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/classify/", items.item_classify_view, name="item_classify"),
    path(
        "items/<int:pk>/classifications/<int:classification_pk>/review/",
        items.classification_review_view,
        name="classification_review",
    ),
    path("items/<int:pk>/consult/", items.item_consult_view, name="item_consult"),
    path(
        "items/<int:pk>/consultations/<int:consultation_pk>/answer/",
        items.consultation_answer_view,
        name="consultation_answer",
    ),
    path("control-list/", reference_lists.control_list, name="control_list"),
    path(
        "control-list/import/", reference_lists.control_list_import_view, name="control_list_import"
    ),
    path("customs-catalogue/", reference_lists.customs_catalogue, name="customs_catalogue"),
    path(
        "customs-catalogue/import/",
        reference_lists.customs_catalogue_import_view,
        name="customs_catalogue_import",
    ),
    path("licences/", licences.LicenceListView.as_view(), name="licence_list"),
    path("licences/new/", licences.licence_create, name="licence_create"),
    path("licences/<int:pk>/", licences.licence_detail, name="licence_detail"),
    path("licences/<int:pk>/edit/", licences.licence_edit, name="licence_edit"),
    path("licences/<int:pk>/voucher-lapsed/", licences.voucher_lapsed, name="voucher_lapsed"),
]
