from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from apps.accounts.viewer import viewer_from_request
from apps.groups.selectors import group_get, group_member_summary, membership_list


@login_required
def group_detail(request: HttpRequest, group_id: int) -> HttpResponse:
    viewer = viewer_from_request(request)
    group = group_get(viewer=viewer, group_id=group_id)
    members = list(membership_list(group=group))
    largest = max((m.population or 0 for m in members), default=0)
    for m in members:
        m.bar_percent = round(100 * (m.population or 0) / largest, 1) if largest else 0
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "members": members,
            "summary": group_member_summary(group=group),
        },
    )
