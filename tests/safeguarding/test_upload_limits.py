"""Issue 11.3: an oversized body is refused from its Content-Length, before any of it is read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.urls import reverse

from safeguarding.models import PendingUpload
from safeguarding.upload_limits import RequestSizeLimitMiddleware, request_max_bytes


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_the_limit_is_checked_before_the_body_is_read():
    request = RequestFactory().post("/datasets/quarters/1/upload/", data=b"", content_type="multipart/form-data")
    request.META["CONTENT_LENGTH"] = str(request_max_bytes() + 1)
    request.META["wsgi.input"] = Unreadable()
    request._stream = Unreadable()
    response = RequestSizeLimitMiddleware(lambda r: pytest.fail("the view was reached"))(request)
    assert response.status_code == 413 and b"The file is too large" in response.content


@pytest.mark.django_db
@override_settings(UPLOAD_MAX_BYTES=2000, DATA_UPLOAD_MAX_MEMORY_SIZE=2000, REQUEST_MAX_BYTES=4000)
def test_an_upload_page_answers_413_to_a_large_file(world, as_user):
    response = as_user(world.manager).post(reverse("datasets:comparators_upload"),
                                           {"file": SimpleUploadedFile("big.csv", b"code,value\n" + b"A,1\n" * 3000)})
    assert response.status_code == 413
    assert not PendingUpload.objects.exists()
