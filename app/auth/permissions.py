"""Who may do what: the one role table, enforced by ``require`` on every route.

docs/security.md prints this table; a test checks the two agree.
"""

from enum import StrEnum


class Role(StrEnum):
    admin = "admin"
    lawyer = "lawyer"
    paralegal = "paralegal"


class Permission(StrEnum):
    profile_read = "profile:read"
    api_keys_own = "api-keys:own"
    api_keys_all = "api-keys:all"
    users_manage = "users:manage"
    audit_read = "audit:read"
    reference_read = "reference:read"
    reference_edit = "reference:edit"
    clients_read = "clients:read"
    clients_write = "clients:write"
    cases_read = "cases:read"
    cases_write = "cases:write"
    cases_close = "cases:close"
    agenda_read = "agenda:read"
    readiness_override = "readiness:override"
    firm_edit = "firm:edit"
    documents_generate = "documents:generate"
    templates_manage = "templates:manage"
    events_read = "events:read"
    webhooks_manage = "webhooks:manage"
    statistics_read = "statistics:read"
    legal_holds_manage = "legal-holds:manage"
    personal_data_manage = "personal-data:manage"


_EVERYONE = frozenset(
    {
        Permission.profile_read,
        Permission.api_keys_own,
        Permission.reference_read,
        Permission.clients_read,
        Permission.clients_write,
        Permission.cases_read,
        Permission.cases_write,
        Permission.agenda_read,
        Permission.documents_generate,
        Permission.events_read,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.lawyer: _EVERYONE
    | {
        Permission.cases_close,
        Permission.readiness_override,
        Permission.statistics_read,
        Permission.legal_holds_manage,
    },
    Role.paralegal: _EVERYONE,
}

# An API key may act with its owner's role or a lesser one, never more.
ROLE_RANK: dict[Role, int] = {Role.paralegal: 1, Role.lawyer: 2, Role.admin: 3}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def can_delegate(owner: Role, key_role: Role) -> bool:
    return ROLE_RANK[key_role] <= ROLE_RANK[owner]
