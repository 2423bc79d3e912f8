# Seats (issue 12.3): the board's and subgroups' places, held by an agency or a named role.

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0005_canonical_emails"),
    ]

    operations = [
        migrations.AddField(
            model_name="partnership",
            name="attendance_target",
            field=models.DecimalField(
                decimal_places=1, default=75, max_digits=4,
                help_text="The share of its meetings (0–100%) each board seat is expected to attend; the annual "
                          "report compares attendance with it (issue 12.3).",
                validators=[django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100)]),
        ),
        migrations.CreateModel(
            name="Seat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(blank=True, help_text="For a seat no agency holds: e.g. Independent chair, "
                                                                "Lay member.", max_length=120)),
                ("holder", models.CharField(blank=True, help_text="Who holds the seat now (optional).",
                                            max_length=150)),
                ("is_active", models.BooleanField(default=True, help_text="A seat that is no longer on the body "
                                                                          "keeps its history.")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("agency", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                             related_name="seats", to="partners.agency")),
                ("partnership", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="seats",
                                                  to="partners.partnership")),
                ("subgroup", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="seats",
                                               to="partners.subgroup")),
            ],
            options={
                "ordering": ["-is_active", "role", "agency__name", "holder"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("agency__isnull", False), ("role", ""))
                        | models.Q(("agency__isnull", True), models.Q(("role", ""), _negated=True)),
                        name="seat_held_by_agency_or_role"),
                    models.UniqueConstraint(condition=models.Q(("agency__isnull", False)),
                                            fields=("subgroup", "agency"), name="seat_once_per_agency"),
                    models.UniqueConstraint(models.F("subgroup"), django.db.models.functions.text.Lower("role"),
                                            django.db.models.functions.text.Lower("holder"),
                                            condition=models.Q(("agency__isnull", True)),
                                            name="seat_once_per_role_and_holder"),
                ],
            },
        ),
        migrations.AddField(
            model_name="attendance",
            name="seat",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="attendance", to="partners.seat"),
        ),
    ]
