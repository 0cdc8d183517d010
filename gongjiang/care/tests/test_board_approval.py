"""The cycle board after the list is confirmed: the account that confirmed it is not offered the approval button (it
led to a bare 403 page) but told that another cadre of the owner approves; that other cadre gets the button. The
board's budget and addition forms: every input labelled (a placeholder alone said nothing once typed in)."""

from __future__ import annotations

from django.urls import reverse

from gongjiang.care import services

from .factories import cycle, second_admin
from .test_page_markup import _parse


def test_only_another_cadre_than_the_confirmer_is_offered_the_approval(sd, cw, client):
    cw.active()
    c = cycle(cw)
    services.build_cycle(actor=sd.province_admin, cycle=c)
    services.confirm_list(actor=sd.province_admin, cycle=c)
    board = reverse("care:cycle_board", args=[c.pk])
    approve = reverse("care:cycle_act", args=[c.pk, "approve"])
    client.force_login(sd.province_admin)
    page = client.get(board).content.decode()
    assert approve not in page and 'id="approval-note"' in page
    assert "another cadre of" in page
    client.force_login(second_admin(cw))
    page = client.get(board).content.decode()
    assert approve in page and 'id="approval-note"' not in page


def test_the_addition_form_s_inputs_are_labelled_text_inputs(sd, cw, client):
    c = cycle(cw)
    client.force_login(sd.province_admin)
    m = _parse(client.get(reverse("care:cycle_board", args=[c.pk])).content.decode())
    adding = [stack for action, stack in m.forms if action.endswith(f"/care/cycles/{c.pk}/add/")]
    assert adding, "no addition form"
    html = client.get(reverse("care:cycle_board", args=[c.pk])).content.decode()
    form = html[html.index('id="add-form"'):]
    form = form[:form.index("</form>")]
    for name in ("org", "file", "reason"):
        start = form.index(f'name="{name}"')
        assert form.rfind("<label>", 0, start) > form.rfind("</label>", 0, start), name
    assert [a for a in m.inputs if a.get("name") in ("file", "reason") and a.get("type") != "text"] == []


def test_the_payment_forms_inputs_are_labelled(sd, cw, client):
    """The cash form ran on after the bank batch's button with placeholders alone: 档案号, 签收人… unreadable."""
    from .factories import approved

    c = approved(cw)
    client.force_login(sd.province_admin)
    html = client.get(reverse("care:cycle_board", args=[c.pk])).content.decode()
    form = html[html.index('id="pay-form"'):]
    form = form[:form.index("</form>")]
    for name in ("file", "method", "signed_by", "paid_on", "signature_note"):
        start = form.index(f'name="{name}"')
        assert form.rfind("<label>", 0, start) > form.rfind("</label>", 0, start), name
