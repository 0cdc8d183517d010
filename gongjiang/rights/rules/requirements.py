"""What an enterprise must have, from what the org tree knows of it.

The org tree records an enterprise union's ownership (`Org.ownership`) and employees (`Org.employee_count`), not its
company form (有限责任公司/股份有限公司) nor whether it has a board: we derive them and say so (docs/rights.md).

- 职代会: every enterprise with a union (企业民主管理规定 art. 3); below 100 employees a 职工大会 suffices, and a
  small private firm may be covered by a regional or industry congress instead.
- 厂务公开: every enterprise (same rules, chapter 5).
- 职工董事: a state-owned company (国有独资/国有资本控股公司 — Company Law 2023 art. 173: its board must include
  employee representatives), and any company with 300 or more employees (art. 68) unless it has a supervisory
  board with employee supervisors; we require it of state-owned enterprises and of those with 300+ employees.
- 职工监事: a company with a supervisory board must have at least one third employee supervisors (arts. 76, 130):
  we take state-owned and collective enterprises, and companies with 300+ employees, to have one.
Public institutions, government agencies and social organisations are not companies: neither seat applies."""

from __future__ import annotations

from dataclasses import dataclass

COMPANY_OWNERSHIPS = {"state", "collective", "private", "foreign", "hmt"}
PUBLIC_SECTOR = {"state", "collective"}
LARGE = 300


@dataclass(frozen=True)
class Required:
    congress_form: str  # "congress" or "assembly"
    director: bool
    supervisor: bool


def required(ownership: str, employees: int) -> Required:
    """What an enterprise of this ownership and size must have."""
    company = ownership in COMPANY_OWNERSHIPS
    large = employees >= LARGE
    form = "assembly" if employees < 100 else "congress"
    return Required(form, director=company and (ownership == "state" or large),
                    supervisor=company and (ownership in PUBLIC_SECTOR or large))


def non_public(ownership: str) -> bool:
    """非公有制企业: private, foreign-invested, Hong Kong/Macao/Taiwan (the gaps the campaigns aim at)."""
    return ownership in {"private", "foreign", "hmt"}
