"""Transaction review (E4): the queue, transactions, items and classification, the control
list and the licence register. Mounted at /trade/ under the namespace "transactions"."""

from django.urls import path

from . import views_items as items
from . import views_transactions as views

app_name = "transactions"

urlpatterns = [
    path("transactions/", views.TransactionQueueView.as_view(), name="queue"),
    path("transactions/new/", views.transaction_create, name="transaction_create"),
    path("transactions/import/", views.transaction_import_view, name="transaction_import"),
    path("transactions/<int:pk>/", views.transaction_detail, name="transaction_detail"),
    path("transactions/<int:pk>/edit/", views.transaction_edit, name="transaction_edit"),
    path("transactions/<int:pk>/items/", views.line_add, name="line_add"),
    path("transactions/<int:pk>/items/<int:line_pk>/", views.line_update, name="line_update"),
    path(
        "transactions/<int:pk>/items/<int:line_pk>/remove/", views.line_remove, name="line_remove"
    ),
    path(
        "transactions/<int:pk>/items/<int:line_pk>/path/",
        views.licence_path,
        name="licence_path",
    ),
    path(
        "transactions/<int:pk>/items/<int:line_pk>/path/walk/",
        views.licence_path_walk,
        name="licence_path_walk",
    ),
    path(
        "transactions/<int:pk>/items/<int:line_pk>/path/confirm/",
        views.licence_path_confirm,
        name="licence_path_confirm",
    ),
    path("transactions/<int:pk>/parties/", views.party_add, name="party_add"),
    path(
        "transactions/<int:pk>/parties/<int:link_pk>/remove/",
        views.party_remove,
        name="party_remove",
    ),
    path("transactions/<int:pk>/euc/", views.euc_record, name="euc_record"),
    path("transactions/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("transactions/<int:pk>/licence/", views.licence_decide, name="licence_decide"),
    path("transactions/<int:pk>/red-flags/", views.red_flags_answer, name="red_flags_answer"),
    path(
        "transactions/<int:pk>/red-flags/<int:answer_pk>/resolve/",
        views.red_flag_resolve,
        name="red_flag_resolve",
    ),
    path("transactions/<int:pk>/screen/", views.screen_parties, name="transaction_screen"),
    path("transactions/<int:pk>/submit/", views.submit, name="transaction_submit"),
    path("transactions/<int:pk>/approve/", views.approve, name="transaction_approve"),
    path("transactions/<int:pk>/reject/", views.reject, name="transaction_reject"),
    path("transactions/<int:pk>/hold/", views.hold, name="transaction_hold"),
    path("transactions/<int:pk>/release/", views.release, name="transaction_release"),
    path("transactions/<int:pk>/shipped/", views.mark_shipped, name="transaction_shipped"),
    path(
        "transactions/<int:pk>/reports/<int:duty_pk>/done/",
        views.duty_complete,
        name="duty_complete",
    ),
    path(
        "transactions/<int:pk>/review-record.pdf", views.review_record_pdf, name="transaction_pdf"
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
    path("control-list/", items.control_list, name="control_list"),
    path("control-list/import/", items.control_list_import_view, name="control_list_import"),
    path("customs-catalogue/", items.customs_catalogue, name="customs_catalogue"),
    path(
        "customs-catalogue/import/",
        items.customs_catalogue_import_view,
        name="customs_catalogue_import",
    ),
    path("licences/", items.LicenceListView.as_view(), name="licence_list"),
    path("licences/new/", items.licence_create, name="licence_create"),
    path("licences/<int:pk>/", items.licence_detail, name="licence_detail"),
    path("licences/<int:pk>/edit/", items.licence_edit, name="licence_edit"),
    path("licences/<int:pk>/voucher-lapsed/", views.voucher_lapsed, name="voucher_lapsed"),
]
