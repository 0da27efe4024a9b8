"""A StaticFilterSet builds its form class once; each request still gets a form of its own,
and a bad value is still refused."""

from django.http import QueryDict

from apps.catalog.filters import ListingFilter


def test_the_form_class_is_built_once_and_every_form_is_its_own() -> None:
    first = ListingFilter(QueryDict("q=AI&flag=lgwan"))
    second = ListingFilter(QueryDict("flag=nonsense"))
    assert type(first.form) is type(second.form)
    assert first.form is not second.form
    assert first.form.fields["flag"] is not second.form.fields["flag"]
    assert first.is_valid()
    assert first.form.cleaned_data["q"] == "AI"
    assert first.form.cleaned_data["flag"] == ["lgwan"]
    assert not second.is_valid()
    assert list(second.form.errors) == ["flag"]
