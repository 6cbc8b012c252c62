"""The engine index of a list version, stored once as a file (an "artefact") and shared.

A version never changes, so its index is built once, by the job that imports the version (or
by the `screening_index_build` command on a fresh deployment), written as flat arrays to the
configured file storage under a name holding the file's SHA-256, and mapped read-only by
every web and worker process from a local copy. This row says which file belongs to which
version; it is derived data (rebuilt from the version at will), not a regulated record.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListIndexArtefact(models.Model):
    version = models.OneToOneField(
        "screening.ListVersion",
        on_delete=models.CASCADE,
        related_name="index_artefact",
        verbose_name=_("list version"),
    )
    name = models.CharField(_("file"), max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(_("size in bytes"))
    format_version = models.PositiveSmallIntegerField(default=1)
    entity_count = models.PositiveIntegerField(default=0)
    alias_count = models.PositiveIntegerField(default=0)
    build_seconds = models.FloatField(default=0.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("screening index file")
        verbose_name_plural = _("screening index files")

    def __str__(self) -> str:
        return self.name
