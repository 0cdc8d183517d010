"""Blind review across levels (DESIGN §4.14: test with the attack itself). 济南's call published 济钢's
转炉氧枪喷头长寿命技术 with its author 李强 on the public notice, then recommended it into the provincial call, whose
expert reviews it blind. The attack: the expert takes what the review shows and looks it up in what they can read —
the public results, the site's search, the similar achievements beside a proposal (page and API) — to learn the
authors. Closed: the expert reads a name given for the reviewers (neutral by default, set by the submitting union,
never the published title, an author's or the enterprise's name), which the public results do not contain, and the
look-ups of an expert leave out what they review and where it came from."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils.translation import override

from gongjiang.core.models import PublicNotice
from gongjiang.innovation import queries, services
from gongjiang.innovation.models import Review
from gongjiang.orgs.tests.test_api import Api, assert_error

from .call_factories import INNOVATIONS, SUMMARY, recommended
from .test_services import refused


def _world(sd):
    upper, published, copy = recommended(sd)
    r = Review.objects.filter(achievement=copy).select_related("expert__user").first()
    assert r is not None and published.title == copy.title
    return upper, published, copy, r.expert.user, r


def _secrets(sd, published) -> list[str]:
    """What must not reach the expert: the published title and the names on it."""
    return [published.title, sd.worker_person.name, sd.steel.name, sd.steel.display_name]


def test_the_public_results_show_the_title_with_its_authors(client, sd):
    """The premise of the attack: the city's public notice names the achievement and its authors."""
    _upper, published, _copy, _expert, _r = _world(sd)
    notice = PublicNotice.objects.get(owner_id=published.call_id, kind="innovation.call_results")
    page = client.get(reverse("core:public_notice", args=[notice.pk])).content.decode()
    assert published.title in page and sd.worker_person.name in page


def test_an_expert_of_the_upper_call_reads_a_name_the_public_results_do_not_hold(client, sd):
    _upper, published, copy, expert, r = _world(sd)
    notice = PublicNotice.objects.get(owner_id=published.call_id, kind="innovation.call_results")
    public = client.get(reverse("core:public_notice", args=[notice.pk])).content.decode()
    client.force_login(expert)
    seen = [client.get(reverse("innovation:my_reviews")).content.decode(),
            client.get(reverse("innovation:review", args=[r.pk])).content.decode(),
            client.get("/").content.decode(), client.get(reverse("core:todo")).content.decode()]
    api = Api(expert)
    seen += [json.dumps(api.get("/innovation/my-reviews").json(), ensure_ascii=False),
             json.dumps(api.get(f"/innovation/my-reviews/{r.pk}").json(), ensure_ascii=False)]
    for text in seen:
        for secret in _secrets(sd, published):
            assert secret not in text
    with override("en"):  # the language the test client's pages are in
        blind = copy.blind_title
    with override("zh-hans"):
        neutral = copy.blind_title  # the API speaks the default language
    assert blind in seen[1] and api.get(f"/innovation/my-reviews/{r.pk}").json()["title"] == neutral
    assert blind not in public and neutral not in public  # nothing to search the public results by
    # ... nor after the submitting union names it for its reviewers
    services.set_review_title(actor=sd.enterprise_cadre, achievement=copy, review_title="一种冶金喷头延寿装置")
    page = client.get(reverse("innovation:review", args=[r.pk])).content.decode()
    assert "一种冶金喷头延寿装置" in page and published.title not in page and "一种冶金喷头延寿装置" not in public


def test_the_experts_look_ups_never_lead_from_the_review_to_the_published_original(client, sd):
    """Whatever the expert types — the texts of the review, the published title itself (from browsing the notice) —
    the similar achievements (beside a proposal, page and API) and the site's search give nothing of what they
    review, nor its original; another user still finds the published prize-winner."""
    _upper, published, copy, expert, _r = _world(sd)
    probes = [copy.blind_title, SUMMARY, INNOVATIONS, published.title]
    for probe in probes:
        assert not [a for a in queries.achievements.similar_achievements(expert, probe, SUMMARY)
                    if a.pk in (published.pk, copy.pk)]
    client.force_login(expert)
    for probe in probes:
        for url in (reverse("innovation:similar") + f"?title={probe}&problem={SUMMARY}",
                    reverse("core:search") + f"?q={probe}"):
            text = client.get(url).content.decode()
            assert sd.worker_person.name not in text and sd.steel.display_name not in text, url
    found = queries.achievements.similar_achievements(sd.jinan_viewer, published.title, SUMMARY)
    assert published.pk in [a.pk for a in found]  # the look-up itself still works for others


def test_the_name_for_the_reviewers_is_set_by_the_submitting_union_and_gives_nothing_away(sd):
    _upper, published, copy, expert, _r = _world(sd)
    for bad in (published.title, "氧枪喷头长寿命", f"{sd.worker_person.name}的喷头改进", f"{sd.steel.name}喷头技术",
                " "):
        refused(lambda name=bad: services.set_review_title(actor=sd.enterprise_cadre, achievement=copy,
                                                           review_title=name), "review_title")
    refused(lambda: services.set_review_title(actor=sd.qingdao_cadre, achievement=copy, review_title="某装置"),
            permission=True)
    refused(lambda: services.set_review_title(actor=expert, achievement=copy, review_title="某装置"), permission=True)
    with override("zh-hans"):
        e = refused(lambda: services.set_review_title(actor=sd.jinan_cadre, achievement=published,
                                                      review_title="一种冶金喷头延寿装置"), "review_title")
    assert e.code == "not_recommended" and "推荐" in e.message
    done = services.set_review_title(actor=sd.jinan_cadre, achievement=copy, review_title="一种冶金喷头延寿装置")
    assert done.blind_title == "一种冶金喷头延寿装置" and done.title == published.title


def test_the_union_names_it_on_the_achievements_page_and_through_the_api(client, sd):
    _upper, published, copy, _expert, _r = _world(sd)
    client.force_login(sd.enterprise_cadre)
    url = reverse("innovation:achievement_detail", args=[copy.pk])
    page = client.get(url).content.decode()
    assert 'id="review-title"' in page and copy.blind_title in page
    r = client.post(reverse("innovation:achievement_review_title", args=[copy.pk]),
                    {"review_title": published.title}, follow=True)
    assert any(m.level_tag == "error" for m in r.context["messages"])
    client.post(reverse("innovation:achievement_review_title", args=[copy.pk]),
                {"review_title": "一种冶金喷头延寿装置"})
    copy.refresh_from_db()
    assert copy.review_title == "一种冶金喷头延寿装置"
    api = Api(sd.enterprise_cadre)
    assert_error(api.put(f"/innovation/achievements/{copy.pk}/review-title", {"review_title": published.title}),
                 400, "gives_away", "review_title")
    assert_error(api.put(f"/innovation/achievements/{published.pk}/review-title", {"review_title": "某装置"}),
                 400, "not_recommended", "review_title")
    r = api.put(f"/innovation/achievements/{copy.pk}/review-title", {"review_title": "冶金喷头延寿装置（推荐）"})
    assert r.status_code == 200 and r.json()["blind_title"] == "冶金喷头延寿装置（推荐）"
