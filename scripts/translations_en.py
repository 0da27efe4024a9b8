"""English for the UI strings (the source strings are Japanese). `make messages` runs this after
makemessages to fill locale/en/LC_MESSAGES/django.po, then compiles it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

EN = {
    "ロック中": "Locked",
    "ログインが一時的にロックされています": "Log-in is temporarily locked",
    "ログインの失敗が続いたため、このIDでのログインを1時間停止しました。時間をおいて再度お試しいただくか、管理者に連絡してください。": "After repeated failed log-ins this ID is locked for one hour. Try again later or contact your administrator.",
    "ログイン": "Log in",
    "%(name)sの職員用ログインです。": "Staff log-in for %(name)s.",
    "事務局・事業者・運営者用のログインです。団体の職員は所属団体のアドレスからログインしてください。": "Log-in for secretariats, vendors and operators. Municipal staff log in at their own body's address.",
    "ログインID": "Log-in ID",
    "パスワード": "Password",
    "職員管理": "Staff",
    "職員一覧": "Staff list",
    "氏名": "Name",
    "役割": "Role",
    "メールアドレス": "E-mail",
    "職員を追加": "Add a member of staff",
    "追加する": "Add",
    "自治体共同利用ポータル": "Shared-services portal for local governments",
    "メインメニュー": "Main menu",
    "ホーム": "Home",
    "事業者情報": "Vendor profile",
    "管理画面": "Administration",
    "ログアウト": "Log out",
    "人口は総務省統計局「国勢調査」による。": "Population figures: Census, Statistics Bureau of Japan.",
    "エラー": "Error",
    "エラーコード": "Error code",
    "ホームに戻る": "Back to home",
    "種別": "Kind",
    "事務局": "Secretariat",
    "構成団体数": "Members",
    "ほかに脱退 %(n)s団体": "and %(n)s former members",
    "構成団体の人口計": "Members' total population",
    "人": " people",
    "令和2年国勢調査 (速報)": "2020 census (preliminary)",
    "構成団体": "Members",
    "団体コード": "Body code",
    "団体名": "Body",
    "加入日": "Joined",
    "人口": "Population",
    "人口の比較": "Population compared",
    "加入している協議会・研究会": "Groups this body belongs to",
    "名称": "Name",
    "状態": "Status",
    "%(d)s 脱退": "left on %(d)s",
    "加入中": "member",
    "加入している協議会・研究会はありません。": "This body belongs to no group.",
    "運営者ホーム": "Operator home",
    "ようこそ": "Welcome",
    "協議会による共同運営システムの負担金と、事業者との直接利用契約 (共通化B) を一か所で扱うポータルです。": "One portal for councils' burden charges on jointly run systems and for direct usage contracts with vendors (pattern B).",
    "団体の職員は、所属団体のアドレス (例: ichinomiya.localhost) からログインしてください。": "Municipal staff log in at their own body's address (e.g. ichinomiya.localhost).",
    "事務局・事業者の方はこのサイトからログインしてください。": "Secretariats and vendors log in on this site.",
    "事務局ホーム": "Secretariat home",
    "担当している協議会・研究会": "Groups you run",
    "事務局団体": "Secretariat body",
    "担当している協議会・研究会はありません。": "You run no group.",
    "事業者ホーム": "Vendor home",
    "連絡先を編集": "Edit contact details",
    "事業者名": "Vendor",
    "法人番号": "Corporate number",
    "適格請求書発行事業者登録番号": "Qualified-invoice registration number",
    "所在地": "Address",
    "担当者": "Contact person",
    "連絡先": "Contact",
    "保存する": "Save",
}


def fill(po_path: Path) -> list[str]:
    text = po_path.read_text(encoding="utf-8")
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        msgid = match.group(1)
        english = EN.get(msgid)
        if english is None:
            missing.append(msgid)
            return match.group(0)
        return f'msgid "{msgid}"\nmsgstr "{english}"'

    text = re.sub(r'msgid "(.+)"\nmsgstr ".*"', replace, text)
    text = text.replace(
        '"Content-Type: text/plain; charset=CHARSET\\n"',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
    )
    po_path.write_text(text, encoding="utf-8")
    return missing


if __name__ == "__main__":
    missing = fill(Path(sys.argv[1]))
    for m in missing:
        print(f"no English for: {m}", file=sys.stderr)
    sys.exit(1 if missing else 0)
