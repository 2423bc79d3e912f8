"""The password-reset throttle's table becomes the one table of throttled emails (invitations and
immediate notifications too): renamed, with the kind of email and who sent it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('safeguarding', '0007_merge_20261130_0830'),
    ]

    operations = [
        migrations.RenameModel('PasswordResetRequest', 'ThrottledEmail'),
        migrations.AddField(
            model_name='throttledemail',
            name='kind',
            field=models.CharField(db_index=True, default='password_reset', max_length=20),
        ),
        migrations.AddField(
            model_name='throttledemail',
            name='sender_id',
            field=models.PositiveBigIntegerField(blank=True, db_index=True, null=True),
        ),
    ]
