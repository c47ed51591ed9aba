from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('publicity', '0007_exportfile'),
    ]

    operations = [
        migrations.AddField(
            model_name='membership',
            name='must_change_password',
            field=models.BooleanField(default=False, help_text='管理员新建账号或重设密码后自动勾选；用户修改密码后自动取消。', verbose_name='下次登录须修改密码'),
        ),
    ]
