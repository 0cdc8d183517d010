"""Notifications: a message to an account's inbox (站内消息), relayed by pluggable channels (SMS, WeChat).

An app notifies from inside the service that made the change (in its transaction)::

    notifications.notify(users, "competitions.entry.approved", entry,
                         title=gettext_lazy("Registration approved: %(event)s"), params={"event": event.name},
                         url=reverse("competitions:my_competitions") + f"#entry-{entry.pk}")

- `users`: User objects, user ids, or a queryset of either; duplicates are notified once.
- `title` and `body` are (lazy) English msgids, formatted with `params`; each is rendered once, when the
  notification is stored, in the recipient's language (the default, zh-hans, until accounts carry a language), so
  the inbox shows the Chinese text whatever the language of the request that caused it.
- `url` is a path on this site (the inbox links to it through a page that marks the message read).
- `send(verb, messages, …)` does the same for many recipients who each get their own parameters (each worker their
  own 参赛号): one bulk insert for all of them.

Each notification is stored in the inbox (`core.Notification`) at once; for every enabled channel
(`settings.NOTIFICATION_CHANNELS`, dotted paths of `Channel` classes) a `NotificationDelivery` row is queued in the
same transaction and `deliver_notifications_task` takes their ids once the transaction commits (a rolled-back
change notifies nobody). A delivery that fails is retried (`MAX_ATTEMPTS` in all, `RETRY_DELAYS` apart) and then
marked failed with its last error; a user the channel cannot reach (no mobile number, no WeChat binding) is recorded
as skipped.

Channels: `ConsoleChannel` logs (development and tests); `SmsChannel` and `WechatTemplateChannel` POST JSON to an
HTTP gateway configured in settings (`NOTIFICATION_SMS`, `NOTIFICATION_WECHAT`: url, key, template ids), and are off
while their url is empty. The key never reaches a log or an error record.

Privacy: a text names what the recipient already knows (their own registration, their own 参赛号, their own
appeal). It never carries an ID number, nor a 加密号 (anonymous code) beside a name — the apps' tests check their
texts against every code of the round. An SMS carries the title only.

Core knows no domain app: recipients are accounts (`settings.AUTH_USER_MODEL`), objects are generic references.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Notification, NotificationDelivery

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from .types import Account, Actor

Recipients: TypeAlias = "Iterable[Account | int] | QuerySet[Any, Any]"
"""Accounts, account ids, or a queryset of either (`notify`'s `users`)."""

log = logging.getLogger("gongjiang.notifications")

# A delivery is tried this many times in all; the waits before the second and later attempts.
MAX_ATTEMPTS = 3
RETRY_DELAYS = (datetime.timedelta(minutes=1), datetime.timedelta(minutes=10))
# Deliveries handed to one task (a results notice may reach thousands of contestants).
TASK_BATCH = 200
# The header badge counts at most this many unread messages and shows "99+" beyond.
BADGE_CAP = 99


def _max_length(name: str) -> int:
    length = getattr(Notification._meta.get_field(name), "max_length", None)
    if not isinstance(length, int):
        raise ImproperlyConfigured(f"Notification.{name} has no max_length")
    return length


TITLE_MAX = _max_length("title")
URL_MAX = _max_length("url")
SMS_TITLE_MAX = 40


# ---------------------------------------------------------------------------------------------
# Channels


class DeliverySkipped(Exception):
    """The channel cannot reach this user (no mobile number, no WeChat binding): recorded, never retried."""


class DeliveryError(Exception):
    """A channel failed to hand the message over; the message says why without any secret or address."""


class Channel:
    """A way of relaying a notification beyond the inbox. `send` returns when the message was handed over and
    raises when it was not (DeliverySkipped: no address for this user; anything else: retried)."""

    name = ""  # stored on each delivery; unique among the enabled channels

    @classmethod
    def enabled(cls) -> bool:
        """Whether the channel is configured (a gateway channel without its URL does nothing)."""
        return True

    def send(self, notification: Notification, user: Account) -> None:
        raise NotImplementedError


class ConsoleChannel(Channel):
    """Logs each notification (logger gongjiang.notifications, level INFO): development and tests."""

    name = "console"

    def send(self, notification: Notification, user: Account) -> None:
        log.info("notification %s (%s) to account %s: %s", notification.pk, notification.verb, user.pk,
                 notification.title)


class HttpGatewayChannel(Channel):
    """POSTs one JSON message per notification to a gateway (the federation's SMS platform, its WeChat official
    account relay) configured in `settings.<setting>`: {"url", "key", "template", "templates", "timeout"}.

    - `key` is sent as `Authorization: Bearer <key>`; it is never logged nor recorded in an error;
    - `template` is the gateway's default template id, `templates` maps a verb or a verb prefix ("competitions.")
      to another one (the longest match wins);
    - the gateway answers 2xx when it accepted the message (a JSON body {"ok": false, "error": "…"} is a failure);
      anything else is a failure, retried."""

    setting = ""
    no_address = ""

    @classmethod
    def config(cls) -> Mapping[str, Any]:
        return getattr(settings, cls.setting, None) or {}

    @classmethod
    def enabled(cls) -> bool:
        return bool(cls.config().get("url"))

    def template_for(self, verb: str) -> str:
        conf = self.config()
        templates: Mapping[str, str] = conf.get("templates") or {}
        matches = [k for k in templates if verb == k or (k.endswith(".") and verb.startswith(k))]
        return templates[max(matches, key=len)] if matches else str(conf.get("template") or "")

    def address(self, user: Account) -> str:
        raise NotImplementedError

    def payload(self, notification: Notification, address: str) -> dict[str, Any]:
        raise NotImplementedError

    def send(self, notification: Notification, user: Account) -> None:
        address = self.address(user)
        if not address:
            raise DeliverySkipped(self.no_address)
        self.post(self.payload(notification, address))

    def post(self, payload: dict[str, Any]) -> None:
        conf = self.config()
        url = str(conf.get("url") or "")
        if not url.startswith(("https://", "http://")):
            raise DeliveryError(f"{self.name} gateway URL must be http(s)")
        headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json"}
        if conf.get("key"):
            headers["Authorization"] = f"Bearer {conf['key']}"
        request = urllib.request.Request(url, data=json.dumps(payload, ensure_ascii=False).encode(), headers=headers,
                                         method="POST")
        try:
            with urllib.request.urlopen(request, timeout=float(conf.get("timeout") or 10)) as response:
                status, text = response.status, response.read(4096)
        except urllib.error.HTTPError as e:  # its text would name the URL: keep the status only
            raise DeliveryError(f"{self.name} gateway answered HTTP {e.code}") from None
        except (urllib.error.URLError, OSError) as e:  # refused, unreachable, timed out
            reason = getattr(e, "reason", e)
            raise DeliveryError(f"{self.name} gateway unreachable ({type(reason).__name__})") from None
        if not 200 <= status < 300:
            raise DeliveryError(f"{self.name} gateway answered HTTP {status}")
        try:
            answer = json.loads(text or b"{}")
        except ValueError:
            answer = {}
        if isinstance(answer, dict) and answer.get("ok") is False:
            raise DeliveryError(f"{self.name} gateway refused: {str(answer.get('error', ''))[:120]}")


class SmsChannel(HttpGatewayChannel):
    """A short SMS to the account's mobile number (`user.phone`): the title only, which names nothing beyond what
    the recipient already knows. Payload: {"phone", "template_id", "params": {"title"}, "text"}."""

    name = "sms"
    setting = "NOTIFICATION_SMS"
    no_address = "no mobile number"

    def address(self, user: Account) -> str:
        return str(getattr(user, "phone", "") or "")

    def payload(self, notification: Notification, address: str) -> dict[str, Any]:
        title = notification.title
        if len(title) > SMS_TITLE_MAX:
            title = title[: SMS_TITLE_MAX - 1] + "…"
        with translation.override(recipient_language(notification.recipient)):
            text = _("%(title)s. Log in to Gongjiang for the details.") % {"title": title}
        return {"phone": address, "template_id": self.template_for(notification.verb), "params": {"title": title},
                "text": text}


class WechatTemplateChannel(HttpGatewayChannel):
    """A WeChat template message (模板消息) through the official account's relay, to the account's openid
    (`user.wechat_openid`; accounts are not bound to WeChat yet, so every user is skipped until they are). The
    message carries the title, the time and the page's path (the relay prefixes the site's address); the body
    stays on the site. Payload: {"touser", "template_id", "path", "data": {"title", "time"}}."""

    name = "wechat"
    setting = "NOTIFICATION_WECHAT"
    no_address = "no WeChat binding"

    def address(self, user: Account) -> str:
        return str(getattr(user, "wechat_openid", "") or "")

    def payload(self, notification: Notification, address: str) -> dict[str, Any]:
        when = timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M")
        return {"touser": address, "template_id": self.template_for(notification.verb), "path": notification.url,
                "data": {"title": notification.title, "time": when}}


@functools.cache
def _channel_classes(paths: tuple[str, ...]) -> tuple[type[Channel], ...]:
    classes = []
    for path in paths:
        cls = import_string(path)
        if not (isinstance(cls, type) and issubclass(cls, Channel) and cls.name):
            raise ImproperlyConfigured(f"NOTIFICATION_CHANNELS: {path} is not a named notification Channel")
        classes.append(cls)
    names = [c.name for c in classes]
    if len(set(names)) != len(names):
        raise ImproperlyConfigured(f"NOTIFICATION_CHANNELS: two channels share a name ({', '.join(names)})")
    return tuple(classes)


def enabled_channels() -> dict[str, Channel]:
    """The channels of settings.NOTIFICATION_CHANNELS that are configured, by name."""
    paths = tuple(getattr(settings, "NOTIFICATION_CHANNELS", ()))
    return {cls.name: cls() for cls in _channel_classes(paths) if cls.enabled()}


# ---------------------------------------------------------------------------------------------
# Sending


@dataclass(frozen=True)
class Message:
    """One recipient's notification for `send`: the account (a User or its id), the object it is about, the
    link and the parameters of the title and body."""

    user: Account | int
    obj: models.Model | None = None
    url: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)


def notify(users: Recipients, verb: str, obj: models.Model | None, *, title: str | Promise, body: str | Promise = "",
           url: str = "", params: Mapping[str, Any] | None = None,
           channels: Sequence[str] | None = None) -> list[Notification]:
    """Notify every account in `users` of `verb` on `obj` (see the module's description); returns what was stored.
    `channels` limits the relaying channels by name (() = the inbox only); None = every enabled channel."""
    shared = dict(params or {})
    return send(verb, [Message(uid, obj, url, shared) for uid in user_ids(users)], title=title, body=body,
                channels=channels)


def send(verb: str, messages: Iterable[Message], *, title: str | Promise, body: str | Promise = "",
         channels: Sequence[str] | None = None) -> list[Notification]:
    """Store one notification per message (one bulk insert), queue its deliveries and hand them to the task when
    the transaction commits. A recipient listed twice is notified once (the first message counts)."""
    rows = prepare(verb, messages, title=title, body=body)
    if not rows:
        return []
    stored = Notification.objects.bulk_create(rows, batch_size=1000)
    _queue_deliveries(stored, channels)
    return stored


def prepare(verb: str, messages: Iterable[Message], *, title: str | Promise,
            body: str | Promise = "", languages: Mapping[int, str] | None = None) -> list[Notification]:
    """The notifications `send` would store, unsaved and never relayed: for a verb that writes them in one statement
    with its rows (`core.bulk.insert_together`) and tells the inbox only (a receipt of what the recipient has
    just done on the screen). `languages` ({account id: language}) saves reading them when the caller knows them."""
    wanted: dict[int, Message] = {}
    for m in messages:
        uid = _user_id(m.user)
        if uid is not None and uid not in wanted:
            wanted[uid] = m
    if not wanted:
        return []
    languages = languages if languages is not None else _languages(list(wanted))
    rendered: dict[tuple[str, int], tuple[str, str]] = {}  # messages sharing their params are rendered once
    rows = []
    for uid, m in wanted.items():
        lang = languages.get(uid) or settings.LANGUAGE_CODE
        key = (lang, id(m.params))
        if key not in rendered:
            rendered[key] = (_render(title, m.params, lang)[:TITLE_MAX], _render(body, m.params, lang))
        text_title, text_body = rendered[key]
        ct, object_id = _reference(m.obj)
        rows.append(Notification(recipient_id=uid, verb=verb, title=text_title, body=text_body,
                                 url=_checked_path(m.url), content_type=ct, object_id=object_id))
    return rows


def user_ids(users: Recipients) -> list[int]:
    """Account ids from User objects, ids, or a queryset of either (one query, no model instances)."""
    if isinstance(users, QuerySet) and users.model is get_user_model() and users._fields is None:  # type: ignore[attr-defined]
        users = users.values_list("pk", flat=True)
    found: list[int] = []
    for u in users:
        uid = _user_id(u)
        if uid is not None:
            found.append(uid)
    return list(dict.fromkeys(found))


def _user_id(user: object) -> int | None:
    if user is None:
        return None
    if isinstance(user, int):
        return user
    if isinstance(user, (tuple, list)) and user:  # a values_list row
        return _user_id(user[0])
    pk: int | None = getattr(user, "pk", None)
    return pk


def recipient_language(user: Account) -> str:
    """The language a recipient reads: the account's own once accounts carry one, else the site's default."""
    return str(getattr(user, "language", "") or settings.LANGUAGE_CODE)


def _languages(ids: list[int]) -> dict[int, str]:
    User = get_user_model()
    if not any(f.name == "language" for f in User._meta.get_fields()):
        return {}
    return dict(User.objects.filter(pk__in=ids).exclude(  # type: ignore[misc]  # no such field yet: asked above
        language="").values_list("pk", "language"))


def _render(text: str | Promise, params: Mapping[str, Any], lang: str) -> str:
    """A (lazy) msgid with its parameters, in `lang`; lazy parameters (a choice's label) are translated too."""
    if not text:
        return ""
    with translation.override(lang) if lang != translation.get_language() else contextlib.nullcontext():
        rendered = str(text)
        if params:
            rendered = rendered % {k: "" if v is None else str(v) for k, v in params.items()}
    return rendered


def _reference(obj: models.Model | None) -> tuple[ContentType | None, str]:
    if obj is None:
        return None, ""
    return ContentType.objects.get_for_model(type(obj)), str(obj.pk)


def _checked_path(url: str) -> str:
    """Links stay on this site: a path ("/competitions/my/#entry-7"), never another host."""
    url = url or ""
    if url and (not url.startswith("/") or url.startswith("//") or "\\" in url or len(url) > URL_MAX):
        raise ValueError(f"a notification links to a path on this site, not {url[:60]!r}")
    return url


def _queue_deliveries(stored: list[Notification], channels: Sequence[str] | None) -> None:
    names = [n for n in enabled_channels() if channels is None or n in channels]
    if not names or not stored:
        return
    deliveries = NotificationDelivery.objects.bulk_create(
        [NotificationDelivery(notification_id=n.pk, channel=name) for n in stored for name in names], batch_size=1000)
    ids = [d.pk for d in deliveries]
    for start in range(0, len(ids), TASK_BATCH):
        _enqueue_on_commit(ids[start:start + TASK_BATCH])


def _enqueue_on_commit(delivery_ids: list[int], run_after: datetime.datetime | None = None) -> None:
    def enqueue() -> None:
        task = deliver_notifications_task
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(delivery_ids)

    transaction.on_commit(enqueue)


# ---------------------------------------------------------------------------------------------
# Delivering (the task)


def deliver(delivery_ids: Sequence[int]) -> dict[str, int]:
    """Hand queued deliveries to their channels; failures are retried later, up to MAX_ATTEMPTS. Returns the
    number of deliveries per resulting state. Each delivery is saved as soon as it is done, so a worker that
    stops half-way does not send the first ones twice."""
    channels = enabled_channels()
    figures: dict[str, int] = {}
    retry: dict[int, list[int]] = {}
    queued = (NotificationDelivery.objects.filter(pk__in=list(delivery_ids), state=NotificationDelivery.State.QUEUED)
              .select_related("notification__recipient").order_by("pk"))
    for d in queued:
        _deliver_one(d, channels.get(d.channel))
        figures[d.state] = figures.get(d.state, 0) + 1
        if d.state == NotificationDelivery.State.QUEUED:
            retry.setdefault(d.attempts, []).append(d.pk)
    for attempts, ids in retry.items():
        delay = RETRY_DELAYS[min(attempts, len(RETRY_DELAYS)) - 1]
        _enqueue_on_commit(ids, run_after=timezone.now() + delay)  # outside a transaction: enqueued at once
    return figures



@task()
def deliver_notifications_task(delivery_ids: list[int]) -> dict[str, int]:
    """Hand queued notification deliveries to their channels (SMS, WeChat…); failures re-enqueue themselves. Defined
    next to the service it runs (the service enqueues it), so this module imports no task module."""
    return deliver(delivery_ids)

def _deliver_one(d: NotificationDelivery, channel: Channel | None) -> None:
    State = NotificationDelivery.State
    user = d.notification.recipient
    if channel is None:
        d.state, d.last_error = State.SKIPPED, "channel not enabled"
    elif not user.is_active:
        d.state, d.last_error = State.SKIPPED, "account disabled"
    else:
        d.attempts += 1
        try:
            channel.send(d.notification, user)
        except DeliverySkipped as e:
            d.state, d.last_error = State.SKIPPED, str(e)[:300]
        except Exception as e:  # a channel's failure of any kind is recorded and retried, never lost
            d.last_error = (str(e) if isinstance(e, DeliveryError) else type(e).__name__)[:300]
            d.state = State.QUEUED if d.attempts < MAX_ATTEMPTS else State.FAILED
            log.warning("notification delivery %s (%s) attempt %s failed: %s", d.pk, d.channel, d.attempts,
                        d.last_error)
        else:
            d.state, d.sent_at, d.last_error = State.SENT, timezone.now(), ""
    d.save(update_fields=["state", "attempts", "last_error", "sent_at"])


# ---------------------------------------------------------------------------------------------
# The inbox


def inbox(user: Actor) -> QuerySet[Notification]:
    """The user's notifications, newest first (the inbox index)."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-id")


def unread_count(user: Actor, cap: int = BADGE_CAP) -> int:
    """Unread notifications, counted up to `cap` + 1 (one indexed COUNT over at most that many rows), once per
    request however many places show it (the header's bell, the menu)."""
    from .scoping import memo

    return memo(user, f"unread:{cap}", lambda: Notification.objects.filter(
        recipient_id=user.pk, read_at__isnull=True).order_by()[: cap + 1].count())


def badge(count: int, cap: int = BADGE_CAP) -> str:
    """"3", or "99+" beyond the cap; "" when nothing is unread."""
    if count <= 0:
        return ""
    return f"{cap}+" if count > cap else str(count)


def mark_read(user: Account, notification: Notification) -> Notification:
    """The recipient opened the message. Reading one's own messages changes no record of the platform: not
    audited. Only the recipient's own notifications are ever passed here (the pages fetch through `inbox`)."""
    if notification.recipient_id != user.pk:
        raise PermissionError("a notification is read by its recipient only")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
        _recount(user)
    return notification


def mark_all_read(user: Account) -> int:
    """Every unread message of the user is read now; returns how many were."""
    marked = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(read_at=timezone.now())
    _recount(user)
    return marked


def _recount(user: Actor) -> None:
    from .scoping import forget

    forget(user, f"unread:{BADGE_CAP}")
