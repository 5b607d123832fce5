from django.db import models


class PeriodicJob(models.Model):
    """When the worker last enqueued a periodic job; shared by all workers so each due run is enqueued once."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class ContentGeneration(models.Model):
    """A counter bumped whenever anything shown on public pages changes; cached pages carry it in their key."""

    name = models.CharField(max_length=50, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
