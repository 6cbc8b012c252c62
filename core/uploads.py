"""Upload size cap: the request body is read in chunks and abandoned as soon as it passes
ICP_MAX_UPLOAD_BYTES, so a huge file never reaches a view (nor the web worker's memory)."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

TOO_LARGE = "icp_upload_too_large"


def max_upload_bytes() -> int:
    return int(settings.ICP_MAX_UPLOAD_BYTES)


def upload_too_large(request) -> bool:
    """True when the request's upload was refused for its size."""
    return bool(getattr(request, TOO_LARGE, False))


class MaxSizeUploadHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS. Refuses a multipart body announced as larger than the cap
    before reading it, and stops a body (e.g. chunked) that grows past the cap while streaming.
    The request is marked; core.middleware.RequestGuardMiddleware answers with a clear message."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.total = 0
        self.refused = bool(content_length and content_length > max_upload_bytes() + 64 * 1024)
        if self.refused and self.request is not None:
            setattr(self.request, TOO_LARGE, True)

    def receive_data_chunk(self, raw_data, start):
        self.total = getattr(self, "total", 0) + len(raw_data)
        if getattr(self, "refused", False) or self.total > max_upload_bytes():
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        if self.request is not None:
            setattr(self.request, TOO_LARGE, True)
        raise StopUpload(connection_reset=True)
