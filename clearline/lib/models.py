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


class AuditEntry(models.Model):
    """One append-only, hash-chained record of a change (DESIGN.md rule 9). Written by lib/audit.py only."""

    created_at = models.DateTimeField()
    action = models.CharField(max_length=100, help_text="e.g. providers.contract.updated")
    actor = models.CharField(max_length=150)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} by {self.actor}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise RuntimeError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit entries are append-only.")
