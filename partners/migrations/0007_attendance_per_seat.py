# Existing attendance was recorded by agency: each (subgroup, agency) pair becomes that agency's
# seat on the subgroup, and every attendance row points at it. Nothing is lost (issue 12.3).

from django.db import migrations


def to_seats(apps, schema_editor):
    Attendance = apps.get_model("partners", "Attendance")
    Seat = apps.get_model("partners", "Seat")
    seats = {}
    for row in Attendance.objects.select_related("meeting").filter(seat__isnull=True).iterator():
        key = (row.meeting.subgroup_id, row.agency_id)
        if key not in seats:
            seats[key], _ = Seat.objects.get_or_create(
                subgroup_id=row.meeting.subgroup_id, agency_id=row.agency_id,
                defaults={"partnership_id": row.meeting.partnership_id})
        Attendance.objects.filter(pk=row.pk).update(seat=seats[key])


def to_agencies(apps, schema_editor):
    Attendance = apps.get_model("partners", "Attendance")
    for row in Attendance.objects.select_related("seat").iterator():
        if row.seat.agency_id is None:
            row.delete()  # a role seat has no agency to go back to
        else:
            Attendance.objects.filter(pk=row.pk).update(agency_id=row.seat.agency_id)


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0006_seats"),
    ]

    operations = [
        migrations.RunPython(to_seats, to_agencies),
    ]
