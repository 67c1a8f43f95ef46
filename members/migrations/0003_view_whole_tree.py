"""The permission to read the whole tree (members.access), granted to the committee's
admin group where it exists already; a new deployment's group gets it from
`ensure_committee_admin_group`, which the web container runs after migrating."""

from django.db import migrations

GROUP = "党委管理员"  # members.permissions.COMMITTEE_ADMIN_GROUP at the time of writing


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are otherwise created after the last migration (post_migrate): too late here.
    content_type, _ = ContentType.objects.get_or_create(app_label="members", model="person")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename="view_whole_tree",
        defaults={"name": "Can read the whole organisation tree"},
    )
    for group in Group.objects.filter(name=GROUP):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(
        content_type__app_label="members", codename="view_whole_tree"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("members", "0002_roster_import"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="person",
            options={
                "ordering": ["name", "pk"],
                "permissions": [("view_whole_tree", "Can read the whole organisation tree")],
                "verbose_name": "person",
                "verbose_name_plural": "people",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
