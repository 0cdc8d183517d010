"""Notifications as a specification: the service (inbox rows, rendering, deliveries, retries, channels and their
gateways), the inbox pages with the header badge, and the API. Only accounts are needed: core knows no domain app."""

from __future__ import annotations

import ast
import json
import logging
import threading
import urllib.error
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_lazy

from gongjiang.core import notifications
from gongjiang.core.models import Notification, NotificationDelivery

CORE = Path(__file__).resolve().parents[1]
FAKE = "gongjiang.core.tests.test_notifications.FakeChannel"
FLAKY = "gongjiang.core.tests.test_notifications.FlakyChannel"
SKIPPING = "gongjiang.core.tests.test_notifications.SkippingChannel"
State = NotificationDelivery.State


class FakeChannel(notifications.Channel):
    """Records what it was asked to send."""

    name = "fake"
    sent: ClassVar[list[tuple[int, int]]] = []

    def send(self, notification: Notification, user: Any) -> None:
        FakeChannel.sent.append((notification.pk, user.pk))


class FlakyChannel(notifications.Channel):
    """Fails the first `failures` attempts."""

    name = "flaky"
    failures = 0
    calls = 0

    def send(self, notification: Notification, user: Any) -> None:
        FlakyChannel.calls += 1
        if FlakyChannel.calls <= FlakyChannel.failures:
            raise notifications.DeliveryError("gateway down")


class SkippingChannel(notifications.Channel):
    name = "skipping"

    def send(self, notification: Notification, user: Any) -> None:
        raise notifications.DeliverySkipped("no address")


@pytest.fixture(autouse=True)
def _fresh_channels():
    FakeChannel.sent = []
    FlakyChannel.calls = FlakyChannel.failures = 0
    yield


def account(username: str, **kw: Any) -> Any:
    return get_user_model().objects.create_user(username=username, password="Gongjiang-2026", **kw)


@pytest.fixture
def people(db):
    return account("li"), account("wang"), account("zhao")


def tell(users: Any, **kw: Any) -> list[Notification]:
    kw.setdefault("title", "Registration approved")
    return notifications.notify(users, "test.thing.happened", kw.pop("obj", None), **kw)


# ---------------------------------------------------------------------------------------------
# Storing


def test_each_recipient_gets_one_message_however_they_are_given(people):
    li, wang, zhao = people
    User = get_user_model()
    tell([li, wang.pk, li, None])
    tell(User.objects.filter(pk=zhao.pk))
    tell(User.objects.filter(pk__in=[li.pk, wang.pk]).values_list("pk", flat=True))
    counts = {u.username: Notification.objects.filter(recipient=u).count() for u in people}
    assert counts == {"li": 2, "wang": 2, "zhao": 1}
    assert tell([]) == []


def test_the_text_is_rendered_once_in_the_recipients_language_whatever_the_request_speaks(people):
    li, _wang, _zhao = people
    with translation.override("en"):
        [n] = tell([li], obj=_wang, title=gettext_lazy("Page %(n)s"), body=gettext_lazy("Grassroots union"),
                   params={"n": 3}, url="/competitions/my/#entry-7")
    n.refresh_from_db()
    assert (n.title, n.body) == ("第 3 页", "基层工会")
    assert (n.verb, n.url, n.read_at) == ("test.thing.happened", "/competitions/my/#entry-7", None)
    assert (n.content_type, n.object_id) == (ContentType.objects.get_for_model(get_user_model()), str(_wang.pk))


def test_a_long_title_is_cut_and_plain_text_is_kept_as_it_is(people):
    [n] = tell([people[0]], title="长" * 300, body="100% 完成")
    assert len(n.title) == 200 and n.body == "100% 完成"


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "/a\\b"])
def test_a_notification_links_only_to_a_path_on_this_site(people, url):
    with pytest.raises(ValueError):
        tell([people[0]], url=url)
    assert not Notification.objects.exists()


def test_thousands_of_recipients_cost_a_few_statements(db, django_assert_max_num_queries, settings):
    settings.NOTIFICATION_CHANNELS = [FAKE]
    User = get_user_model()
    User.objects.bulk_create([User(username=f"w{i}") for i in range(1500)])
    # bulk inserts in batches (SQLite binds at most 999 values a statement), not one INSERT per recipient
    with django_assert_max_num_queries(40):
        stored = tell(User.objects.all(), title=gettext_lazy("Page %(n)s"), params={"n": 1})
    assert len(stored) == 1500
    assert NotificationDelivery.objects.filter(state=State.QUEUED).count() == 1500


# ---------------------------------------------------------------------------------------------
# Delivering


def test_deliveries_are_queued_in_the_transaction_and_sent_once_it_commits(people, settings,
                                                                           django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [FAKE]
    li, wang, _ = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        stored = tell([li, wang])
    assert FakeChannel.sent == [] and len(callbacks) == 1  # nothing leaves before the commit
    assert set(NotificationDelivery.objects.values_list("channel", "state")) == {("fake", State.QUEUED)}
    callbacks[0]()
    assert sorted(FakeChannel.sent) == sorted((n.pk, n.recipient_id) for n in stored)
    d = NotificationDelivery.objects.get(notification=stored[0])
    assert (d.state, d.attempts, d.last_error) == (State.SENT, 1, "") and d.sent_at is not None


def test_a_change_rolled_back_notifies_nobody(people, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [FAKE]
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        with transaction.atomic():
            tell([people[0]])
            raise RuntimeError("the service refused after all")
    assert callbacks == [] and FakeChannel.sent == []
    assert not Notification.objects.exists()


def test_channels_can_be_limited_per_notification(people, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [FAKE, SKIPPING]
    with django_capture_on_commit_callbacks(execute=True):
        tell([people[0]], channels=())
        tell([people[1]], channels=["fake"])
    assert list(NotificationDelivery.objects.values_list("notification__recipient", "channel")) == [
        (people[1].pk, "fake")]


def test_a_failed_delivery_is_retried_and_then_recorded_as_failed(people, settings, caplog,
                                                                    django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [FLAKY]
    FlakyChannel.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        [ok] = tell([people[0]])
    d = ok.deliveries.get()
    assert (d.state, d.attempts, d.last_error) == (State.SENT, notifications.MAX_ATTEMPTS, "")

    FlakyChannel.calls, FlakyChannel.failures = 0, 99
    with caplog.at_level(logging.WARNING, "gongjiang.notifications"), \
            django_capture_on_commit_callbacks(execute=True):
        [bad] = tell([people[1]])
    d = bad.deliveries.get()
    assert (d.state, d.attempts, d.last_error) == (State.FAILED, notifications.MAX_ATTEMPTS, "gateway down")
    assert FlakyChannel.calls == notifications.MAX_ATTEMPTS
    assert "gateway down" in caplog.text


def test_a_retry_waits_when_the_task_backend_can_defer(people, settings, monkeypatch,
                                                       django_capture_on_commit_callbacks):

    settings.NOTIFICATION_CHANNELS = [FLAKY]
    FlakyChannel.failures = 99
    enqueued: list[tuple[Any, list[int]]] = []

    class Deferring:
        supports_defer = True

    class Recorder:
        def __init__(self, run_after: Any = None) -> None:
            self.run_after = run_after

        def get_backend(self) -> Any:
            return Deferring()

        def using(self, run_after: Any) -> Recorder:
            return Recorder(run_after)

        def enqueue(self, ids: list[int]) -> None:
            enqueued.append((self.run_after, ids))

    monkeypatch.setattr(notifications, "deliver_notifications_task", Recorder())
    [n] = tell([people[0]], channels=["flaky"])
    d = n.deliveries.get()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.deliver([d.pk])
    d.refresh_from_db()
    assert (d.state, d.attempts) == (State.QUEUED, 1)
    [(run_after, ids)] = [e for e in enqueued if e[0] is not None]
    assert ids == [d.pk] and run_after > d.created_at + notifications.RETRY_DELAYS[0] * 0.9


def test_a_user_the_channel_cannot_reach_or_a_disabled_account_is_skipped_not_retried(
        people, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = [SKIPPING, FAKE]
    li, wang, _ = people
    wang.is_active = False
    wang.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        tell([li, wang])
    rows = set(NotificationDelivery.objects.values_list("notification__recipient", "channel", "state", "last_error"))
    assert rows == {(li.pk, "skipping", State.SKIPPED, "no address"), (li.pk, "fake", State.SENT, ""),
                    (wang.pk, "skipping", State.SKIPPED, "account disabled"),
                    (wang.pk, "fake", State.SKIPPED, "account disabled")}


def test_the_console_channel_logs_the_title(people, settings, caplog, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = ["gongjiang.core.notifications.ConsoleChannel"]
    with caplog.at_level(logging.INFO, "gongjiang.notifications"), django_capture_on_commit_callbacks(execute=True):
        [n] = tell([people[0]], title="报名已通过")
    assert "报名已通过" in caplog.text and n.deliveries.get().state == State.SENT


@pytest.mark.parametrize("paths", [["gongjiang.core.models.Notification"], [FAKE, FAKE]])
def test_a_misconfigured_channel_list_is_refused(settings, paths):
    settings.NOTIFICATION_CHANNELS = paths
    with pytest.raises(ImproperlyConfigured):
        notifications.enabled_channels()


# ---------------------------------------------------------------------------------------------
# The SMS and WeChat gateways


class Gateway(BaseHTTPRequestHandler):
    """A fake SMS/WeChat gateway: records each request and answers with the status queued in `answers`."""

    received: ClassVar[list[dict[str, Any]]] = []
    answers: ClassVar[list[tuple[int, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Gateway.received.append({"auth": self.headers.get("Authorization"), "path": self.path,
                                 "json": json.loads(self.rfile.read(length))})
        status, answer = Gateway.answers.pop(0) if Gateway.answers else (200, {"ok": True})
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def gateway():
    Gateway.received, Gateway.answers = [], []
    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/send"
    server.shutdown()
    server.server_close()
    thread.join()


def sms_settings(settings: Any, url: str, **kw: Any) -> None:
    settings.NOTIFICATION_CHANNELS = ["gongjiang.core.notifications.SmsChannel"]
    settings.NOTIFICATION_SMS = {"url": url, "key": "s3cret-key", "template": "SMS_001",
                                 "templates": {"test.": "SMS_TEST", "test.thing.happened": "SMS_EXACT"},
                                 "timeout": 2, **kw}


def test_an_idle_gateway_channel_queues_nothing(people, settings):
    sms_settings(settings, "")
    tell([people[0]])
    assert not NotificationDelivery.objects.exists()


def test_the_sms_gateway_gets_the_title_for_the_mobile_number_with_the_key_in_a_header(
        db, settings, gateway, caplog, django_capture_on_commit_callbacks):
    sms_settings(settings, gateway)
    li, nophone = account("li", phone="13912345678"), account("nophone")
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        tell([li, nophone], title="报名已通过：车工", body="你的身份证号不会出现在短信里")
    [request] = Gateway.received
    assert request["auth"] == "Bearer s3cret-key" and request["path"] == "/send"
    payload = request["json"]
    assert payload["phone"] == "13912345678" and payload["template_id"] == "SMS_EXACT"
    assert payload["params"] == {"title": "报名已通过：车工"}
    assert "身份证" not in json.dumps(payload, ensure_ascii=False)  # the body never goes by SMS
    states = dict(NotificationDelivery.objects.values_list("notification__recipient__username", "state"))
    assert states == {"li": State.SENT, "nophone": State.SKIPPED}
    assert "s3cret-key" not in caplog.text


def test_a_gateway_error_is_recorded_without_the_key_or_the_address_and_retried(
        db, settings, gateway, caplog, django_capture_on_commit_callbacks):
    sms_settings(settings, gateway + "?key=s3cret-key")
    Gateway.answers = [(500, {}), (200, {"ok": False, "error": "quota exceeded"}), (503, {})]
    li = account("li", phone="13912345678")
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        [n] = tell([li])
    d = n.deliveries.get()
    assert (d.state, d.attempts, d.last_error) == (State.FAILED, 3, "sms gateway answered HTTP 503")
    assert len(Gateway.received) == 3
    assert "s3cret-key" not in caplog.text and "13912345678" not in caplog.text


def test_an_unreachable_gateway_is_a_failure_too(db, settings, monkeypatch, django_capture_on_commit_callbacks):
    sms_settings(settings, "https://sms.invalid/send")
    seen: list[float] = []

    def refuse(request: Any, timeout: float) -> Any:
        seen.append(timeout)
        raise urllib.error.URLError(TimeoutError("timed out"))

    monkeypatch.setattr("urllib.request.urlopen", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        [n] = tell([account("li", phone="13912345678")])
    d = n.deliveries.get()
    assert (d.state, d.last_error) == (State.FAILED, "sms gateway unreachable (TimeoutError)")
    assert seen == [2.0] * notifications.MAX_ATTEMPTS


def test_wechat_skips_accounts_not_bound_to_wechat_and_sends_title_time_and_path(
        people, settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = ["gongjiang.core.notifications.WechatTemplateChannel"]
    settings.NOTIFICATION_WECHAT = {"url": "https://wx.invalid/template", "key": "k", "template": "TPL_DEFAULT",
                                    "templates": {"other.": "TPL_OTHER"}}
    posted: list[dict[str, Any]] = []

    class Answer:
        status = 200

        def read(self, n: int) -> bytes:
            return b'{"ok": true}'

        def __enter__(self) -> Answer:
            return self

        def __exit__(self, *exc: Any) -> None:
            return None

    def urlopen(request: Any, timeout: float) -> Answer:
        posted.append(json.loads(request.data))
        return Answer()

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    li, wang, _ = people
    # accounts have no openid field yet: the channel reads one when there is
    monkeypatch.setattr(get_user_model(), "wechat_openid", property(lambda u: "o-li" if u.pk == li.pk else ""),
                        raising=False)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send("test.thing.happened", [notifications.Message(li, url="/inbox/"),
                                                    notifications.Message(wang)],
                           title="成绩已公示", body="名次 …")
    [payload] = posted
    assert payload["touser"] == "o-li" and payload["template_id"] == "TPL_DEFAULT" and payload["path"] == "/inbox/"
    assert payload["data"]["title"] == "成绩已公示" and "名次" not in json.dumps(payload, ensure_ascii=False)
    states = dict(NotificationDelivery.objects.values_list("notification__recipient", "last_error"))
    assert states == {li.pk: "", wang.pk: "no WeChat binding"}


# ---------------------------------------------------------------------------------------------
# The inbox pages and the header badge


@pytest.fixture
def en_client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_the_inbox_lists_my_messages_newest_first_with_the_unread_marked(people, en_client):
    li, wang, _ = people
    first, second = tell([li], title="msg-one"), tell([li], title="msg-two", url="/competitions/my/")
    tell([wang], title="not mine")
    notifications.mark_read(li, first[0])
    en_client.force_login(li)
    page = en_client.get("/inbox/").content.decode()
    assert page.index("msg-two") < page.index("msg-one") and "not mine" not in page
    assert f'id="n-{second[0].pk}"' in page and 'class="inbox-item unread"' in page
    assert page.count('class="inbox-item unread"') == 1
    unread_only = en_client.get("/inbox/?unread=1").content.decode()
    assert "msg-two" in unread_only and "msg-one" not in unread_only


def test_opening_a_message_marks_it_read_and_follows_its_link(people, en_client):
    li = people[0]
    [n] = tell([li], url="/competitions/my/#entry-7")
    [plain] = tell([li])
    en_client.force_login(li)
    response = en_client.get(f"/inbox/{n.pk}/")
    assert response.status_code == 302 and response["Location"] == "/competitions/my/#entry-7"
    n.refresh_from_db()
    assert n.read_at is not None
    assert en_client.get(f"/inbox/{plain.pk}/")["Location"] == f"/inbox/#n-{plain.pk}"


def test_only_the_recipient_reaches_a_message(people, en_client):
    li, wang, _ = people
    [n] = tell([li], url="/competitions/my/")
    en_client.force_login(wang)
    assert en_client.get(f"/inbox/{n.pk}/").status_code == 404
    assert "Registration approved" not in en_client.get("/inbox/").content.decode()
    en_client.logout()
    assert en_client.get(f"/inbox/{n.pk}/")["Location"].startswith("/login/")
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_is_a_post_of_my_own_messages(people, en_client):
    li, wang, _ = people
    tell([li, wang])
    tell([li])
    en_client.force_login(li)
    assert en_client.get("/inbox/read-all/").status_code == 405
    assert en_client.post("/inbox/read-all/")["Location"] == "/inbox/"
    assert not Notification.objects.filter(recipient=li, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=wang, read_at__isnull=True).count() == 1


def test_the_inbox_is_paginated(people, en_client):
    li = people[0]
    for i in range(25):
        tell([li], title=f"message {i:02d}")
    en_client.force_login(li)
    first = en_client.get("/inbox/").content.decode()
    assert "message 24" in first and "message 04" not in first
    assert "message 04" in en_client.get("/inbox/?page=2").content.decode()


def badge_of(html: str) -> str | None:
    start = html.find('class="unread-badge"')
    if start < 0:
        return None
    return html[start:html.find("</a>", start)].rsplit("</span>", 2)[-2].strip()


def test_the_header_shows_the_unread_count_capped_at_99(people, en_client):
    li = people[0]
    en_client.force_login(li)
    assert badge_of(en_client.get("/inbox/").content.decode()) is None
    tell([li])
    tell([li])
    assert badge_of(en_client.get("/inbox/").content.decode()) == "2"
    Notification.objects.bulk_create([Notification(recipient=li, verb="x", title="t") for _ in range(120)])
    assert badge_of(en_client.get("/inbox/").content.decode()) == "99+"
    en_client.post("/inbox/read-all/")
    assert badge_of(en_client.get("/inbox/").content.decode()) is None


def test_the_badge_costs_one_count_and_nothing_for_anonymous_visitors(people, en_client,
                                                                     django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    li = people[0]
    tell([li])
    with CaptureQueriesContext(connection) as anonymous:
        html = en_client.get("/login/").content.decode()
    assert "unread-badge" not in html and "/inbox/" not in html
    assert not [q for q in anonymous.captured_queries if "core_notification" in q["sql"]]
    en_client.force_login(li)
    with CaptureQueriesContext(connection) as logged_in:
        en_client.get("/inbox/")
    counts = [q["sql"] for q in logged_in.captured_queries if "core_notification" in q["sql"]]
    # the badge's COUNT and the page's list with its COUNT for the paginator
    assert sum("COUNT" in q.upper() for q in counts) == 2 and len(counts) == 3


# ---------------------------------------------------------------------------------------------
# The API


def test_the_api_lists_marks_and_counts_my_own_notifications_only(people):
    li, wang, _ = people
    mine = tell([li], title="one") + tell([li], title="two")
    [theirs] = tell([wang])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(li)
    listing = client.get("/api/v1/notifications").json()
    assert [n["title"] for n in listing["items"]] == ["two", "one"] and listing["count"] == 2
    assert listing["items"][0]["unread"] is True
    assert client.get("/api/v1/notifications/unread").json() == {"unread": 2, "label": "2"}
    csrf = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=False)
    csrf.force_login(li)
    answer = csrf.post(f"/api/v1/notifications/{mine[0].pk}/read")
    assert answer.status_code == 200 and answer.json()["read_at"] is not None
    assert csrf.post(f"/api/v1/notifications/{theirs.pk}/read").json()["code"] == "not_found"
    assert [n["title"] for n in csrf.get("/api/v1/notifications?unread=true").json()["items"]] == ["two"]
    assert csrf.post("/api/v1/notifications/read-all").json() == {"marked": 1}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert Client().get("/api/v1/notifications").status_code == 401


# ---------------------------------------------------------------------------------------------
# Layers


@pytest.mark.parametrize("module", ["notifications.py", "inbox.py", "context_processors.py", "api/inbox.py",
                                    "api/__init__.py"])
def test_the_notification_service_knows_no_domain_app(module):
    tree = ast.parse((CORE / module).read_text(encoding="utf-8"))
    imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not [m for m in imported if m.startswith(("gongjiang.orgs", "gongjiang.competitions"))]
