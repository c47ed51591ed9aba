"""Password rules with their messages in Chinese (issue 15).

Django's four validators, unchanged in what they check; only their texts are ours. Django 5.2 changed the
wording of the length rule and its Chinese catalogue still has the old one, so the length error would reach our
officers in English. The other texts are given here too, so that all four read alike.
"""

from django.contrib.auth import password_validation as django_rules

TOO_SHORT_MESSAGE = "密码太短：至少需要 {n} 个字符。"
TOO_SHORT_HELP = "至少 {n} 个字符。"
TOO_SIMILAR_MESSAGE = "密码与账号的{field}太相似，请换一个。"
TOO_SIMILAR_HELP = "不能与用户名、姓名或邮箱太相似。"
TOO_COMMON_MESSAGE = "这个密码太常见，容易被猜中，请换一个。"
TOO_COMMON_HELP = "不能是常见的密码（如 password123、12345678）。"
ALL_DIGITS_MESSAGE = "密码不能全是数字，请加入字母或符号。"
ALL_DIGITS_HELP = "不能全是数字。"


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_error_message(self):
        return TOO_SHORT_MESSAGE.format(n=self.min_length)

    def get_help_text(self):
        return TOO_SHORT_HELP.format(n=self.min_length)


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return TOO_SIMILAR_MESSAGE.replace("{field}", "%(verbose_name)s")

    def get_help_text(self):
        return TOO_SIMILAR_HELP


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_error_message(self):
        return TOO_COMMON_MESSAGE

    def get_help_text(self):
        return TOO_COMMON_HELP


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_error_message(self):
        return ALL_DIGITS_MESSAGE

    def get_help_text(self):
        return ALL_DIGITS_HELP
