from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from apps.core.schemas import current_schema


class Role(models.TextChoices):
    BODY_STAFF = "body_staff", "職員"
    BODY_ADMIN = "body_admin", "団体管理者"
    SECRETARIAT = "secretariat", "事務局"
    VENDOR = "vendor", "事業者"
    OPERATOR = "operator", "運営者"


# Roles of the users in a body's schema, and of the users in the public schema.
BODY_ROLES = frozenset({Role.BODY_STAFF, Role.BODY_ADMIN})
PUBLIC_ROLES = frozenset({Role.SECRETARIAT, Role.VENDOR, Role.OPERATOR})


class UserManager(BaseUserManager["User"]):
    def create_user(self, username: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> User:
        extra["role"] = Role.OPERATOR
        return self.create_user(username, password, **extra)


class TrainingRole(models.TextChoices):
    """A role the body gives a member of staff for training (研修上の役割); programmes name the
    role they are for (apps.training.models.EligibleRole)."""

    ICT_LEADER = "ict_leader", "ICTリーダー"
    ICT_MANAGER = "ict_manager", "ICTマネージャー"


class User(AbstractBaseUser):
    """A person who logs in. The table exists in the public schema (secretariat staff, vendor
    staff, operators) and in every body's schema (that body's staff), so a body's staff and their
    personal data never leave the body's schema, and a log-in name only works at its own site."""

    username = models.CharField(
        "ログインID", max_length=150, unique=True, validators=[UnicodeUsernameValidator()]
    )
    full_name = models.CharField("氏名", max_length=100)
    email = models.EmailField("メールアドレス", blank=True)
    role = models.CharField("役割", max_length=20, choices=Role.choices)
    is_active = models.BooleanField("有効", default=True)
    training_role = models.CharField(
        "研修上の役割",
        max_length=20,
        blank=True,
        default="",
        choices=[("", "—"), *TrainingRole.choices],
    )
    finance_role = models.BooleanField(
        "財政・予算担当", default=False, help_text="予算の見通しを見られる職員"
    )
    date_joined = models.DateTimeField("登録日時", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = "利用者"
        verbose_name_plural = "利用者"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.username})"

    # Django admin and permission checks: only platform operators administer anything there.
    @property
    def is_staff(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_superuser(self) -> bool:
        return self.role == Role.OPERATOR

    @property
    def is_body_admin(self) -> bool:
        return self.role == Role.BODY_ADMIN

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return self.is_active and self.is_superuser

    def has_perms(self, perm_list: Any, obj: Any = None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and self.is_superuser

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # The schema is part of the hash: a session made at one body's site does not
        # authenticate the user with the same id at another body's site.
        return salted_hmac(
            "apps.accounts.User.session",
            f"{current_schema()}:{self.password}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Notice(models.Model):
    """A message for one member of a body's staff, shown on their home page (body schema)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField("お知らせ", max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "お知らせ"
        verbose_name_plural = "お知らせ"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text


class TalentKind(models.TextChoices):
    ADVISER = "adviser", "外部アドバイザー"
    FIXED_TERM = "fixed_term", "任期付き職員"
    PART_TIME_CIO = "part_time_cio", "副業のCIO補佐官"
    RESKILLING = "reskilling", "リスキリング (資格試験など)"


class AdviserEngagement(models.Model):
    """An outside expert the body engages (外部デジタル人材: an adviser, a fixed-term hire or a
    part-time CIO adviser) or a reskilling cost, with the scheme that supports it: the body's
    own record."""

    kind = models.CharField(
        "種類", max_length=20, choices=TalentKind.choices, default=TalentKind.ADVISER
    )
    role = models.CharField("役割", max_length=100)  # e.g. CIO補佐監
    adviser_name = models.CharField("氏名・所属", max_length=200)
    starts_on = models.DateField("開始日")
    ends_on = models.DateField("終了日")
    cost_yen = models.PositiveBigIntegerField("費用 (円)")
    scheme_name = models.CharField("支援制度", max_length=100, default="特別交付税措置")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "外部人材"
        verbose_name_plural = "外部人材"
        ordering = ["-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.role} {self.adviser_name}"


class ApiToken(models.Model):
    """An API token of a user (in the user's own schema, like the user). Only a digest of the
    key is stored: the key itself is shown once, when it is issued. A token expires
    (settings.API_TOKEN_TTL_DAYS) and is revoked by its owner or at log-out."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)  # sha256 of the key, hex
    prefix = models.CharField("先頭", max_length=8)  # shown in the list to tell tokens apart
    name = models.CharField("名前", max_length=100, blank=True)
    created_at = models.DateTimeField("発行日時", default=timezone.now)
    expires_at = models.DateTimeField("有効期限")
    last_used_at = models.DateTimeField("最終利用", null=True, blank=True)
    revoked_at = models.DateTimeField("失効日時", null=True, blank=True)

    class Meta:
        verbose_name = "APIトークン"
        verbose_name_plural = "APIトークン"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"
