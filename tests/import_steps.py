"""The two steps of every list import in tests: upload for the preview, then confirm it."""


def preview_and_confirm(client, url: str, data: dict, **extra):
    """Upload (the page answers with the preview and its token), then confirm; the confirm
    response is returned."""
    preview = client.post(url, data, **extra)
    assert preview.status_code == 200, preview.status_code
    token = preview.context["token"]
    return client.post(url, {"token": token}, **extra)
