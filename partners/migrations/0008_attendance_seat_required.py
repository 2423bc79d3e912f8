import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0007_attendance_per_seat"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="attendance",
            name="attendance_once_per_meeting",
        ),
        migrations.AlterModelOptions(
            name="attendance",
            options={"ordering": ["seat__agency__name", "seat__role"]},
        ),
        migrations.RemoveField(
            model_name="attendance",
            name="agency",
        ),
        migrations.AlterField(
            model_name="attendance",
            name="seat",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="attendance",
                                    to="partners.seat"),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.UniqueConstraint(fields=("meeting", "seat"), name="attendance_once_per_seat"),
        ),
    ]
