"""Worker jobs of the providers app."""

from django_tasks import task

from clearline.providers.documents import check_document_expiry


@task()
def check_documents() -> dict[str, int]:
    return check_document_expiry()
