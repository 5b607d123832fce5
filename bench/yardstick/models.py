from django.db import models


class LeadSource(models.Model):
    name = models.CharField(max_length=100, blank=True)
    incoming_number = models.CharField(max_length=20, unique=True)
    forwarding_number = models.CharField(max_length=20, blank=True)

    def __str__(self) -> str:
        return f"{self.name} - {self.incoming_number}"


class Lead(models.Model):
    source = models.ForeignKey(LeadSource, on_delete=models.CASCADE)
    phone_number = models.CharField(max_length=20)
    timestamp = models.DateTimeField(auto_now_add=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)

    def __str__(self) -> str:
        return f"{self.city}, {self.state} at {self.timestamp}"
