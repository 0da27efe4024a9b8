from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from apps.accounts.auth import role_allowed_here
from apps.accounts.models import Role
from apps.core.domain.bounds import has_control_characters
from apps.core.forms import TextField


class PortalLoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "ログインIDまたはパスワードが正しくありません。"
        "所属団体のアドレスからログインしているか確認してください。",
        "wrong_site": "このアカウントはこのサイトではログインできません。"
        "所属団体のアドレス、または事務局・事業者用のサイトからログインしてください。",
    }

    def clean_username(self) -> str:
        # AuthenticationForm sets the field's max_length but not its validator: a longer name
        # would reach authenticate() (and the lock-out records). No user has such a name.
        username = str(self.cleaned_data["username"])
        if len(username) > 150 or has_control_characters(username, multiline=False):
            raise forms.ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return username

    def confirm_login_allowed(self, user) -> None:  # type: ignore[no-untyped-def]
        super().confirm_login_allowed(user)
        if not role_allowed_here(user.role):
            raise forms.ValidationError(self.error_messages["wrong_site"], code="wrong_site")


class StaffForm(forms.Form):
    username = forms.RegexField(
        label="ログインID",
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        help_text="英数字と @ . + - _ が使えます。",
        error_messages={"invalid": "英数字と @ . + - _ だけで入力してください。"},
    )
    full_name = TextField(label="氏名", max_length=100)
    email = forms.EmailField(label="メールアドレス", required=False, max_length=254)
    role = forms.ChoiceField(
        label="役割",
        choices=[
            (Role.BODY_STAFF, Role.BODY_STAFF.label),
            (Role.BODY_ADMIN, Role.BODY_ADMIN.label),
        ],
    )
    password = forms.CharField(
        label="初期パスワード", widget=forms.PasswordInput, min_length=8, max_length=128
    )


class TokenForm(forms.Form):
    name = TextField(label="用途 (例: 会計システム連携)", max_length=100, required=False)
