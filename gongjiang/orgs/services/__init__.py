"""The verbs of the org tree, people, membership and accounts: the only writers of these models.

Each verb is atomic, takes a keyword-only `actor`, checks the actor's scope itself (so a view, the API,
an import and a task are equally safe), validates, writes, and records an AuditEvent.

Split by topic (DESIGN §3): `orgs` (the tree: create, update, move, deactivate and reactivate; the
counters), `people` (a person's record, skill grades, revealing an ID number), `membership` (joining the
union, membership status, transfers between unions) and `accounts` (roles, cadre and worker accounts,
passwords, the current scope, API tokens); `common` holds the scope check they share. This package is their
public face: callers write `from gongjiang.orgs import services` and `services.create_person(...)`.
"""

from __future__ import annotations

from .accounts import (
    change_password,
    create_cadre_account,
    create_worker_account,
    grant_role,
    hash_token,
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
    join_union,
    refuse_transfer,
    request_transfer,
)
from .orgs import (
    EDITABLE_ORG_FIELDS,
    ORG_FIELDS,
    clean_org_data,
    create_org,
    deactivate_org,
    move_org,
    reactivate_org,
    recount,
    update_org,
)
from .people import PERSON_FIELDS, clean_person_data, create_person, record_skill_grade, reveal_id_number, update_person

__all__ = [
    "EDITABLE_ORG_FIELDS",
    "ORG_FIELDS",
    "PERSON_FIELDS",
    "accept_transfer",
    "cancel_transfer",
    "change_membership_status",
    "change_password",
    "clean_org_data",
    "clean_person_data",
    "create_cadre_account",
    "create_org",
    "create_person",
    "create_worker_account",
    "deactivate_org",
    "grant_role",
    "hash_token",
    "issue_api_token",
    "join_union",
    "move_org",
    "reactivate_org",
    "record_skill_grade",
    "recount",
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
