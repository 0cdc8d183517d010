"""The verbs of the org tree, people, membership and accounts: the only writers of these models.

Each verb is `core.services.verb` (atomic, keyword-only `actor`), checks the actor's scope itself (so a view, the
API, an import and a task are equally safe), validates, writes, and records an AuditEvent.

Split by topic (DESIGN §3): `orgs` (the tree: create, update, move, deactivate and reactivate), `people` (a
person's record, skill grades, revealing an ID number, exporting a roster with ID numbers), `membership` (joining
the union, membership status, transfers between unions) and `accounts` (roles, cadre, worker and role-less
accounts, passwords, the current scope, API tokens); `common` holds the check they share. This package is their
public face: callers write `from gongjiang.orgs import services` and `services.create_person(...)`.
"""

from __future__ import annotations

from .accounts import (
    change_password,
    create_account,
    create_cadre_account,
    create_worker_account,
    grant_role,
    issue_api_token,
    revoke_api_token,
    revoke_role,
    set_account_active,
    set_current_scope,
)
from .membership import (
    accept_transfer,
    cancel_transfer,
    change_membership_status,
    decide_transfers,
    join_union,
    refuse_transfer,
    request_transfer,
)
from .orgs import create_org, deactivate_org, move_org, reactivate_org, update_org
from .people import create_person, record_roster_export, record_skill_grade, reveal_id_number, update_person

__all__ = [
    "accept_transfer",
    "cancel_transfer",
    "change_membership_status",
    "change_password",
    "create_account",
    "create_cadre_account",
    "create_org",
    "create_person",
    "create_worker_account",
    "deactivate_org",
    "decide_transfers",
    "grant_role",
    "issue_api_token",
    "join_union",
    "move_org",
    "reactivate_org",
    "record_roster_export",
    "record_skill_grade",
    "refuse_transfer",
    "request_transfer",
    "reveal_id_number",
    "revoke_api_token",
    "revoke_role",
    "set_account_active",
    "set_current_scope",
    "update_org",
    "update_person",
]
