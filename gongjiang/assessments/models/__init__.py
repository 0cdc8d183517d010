"""The assessments' models: rubrics (versioned, frozen once used), campaigns, one sheet per assessed union with an
answer per item, evidence files, appeals."""

from .campaigns import Answer, Appeal, Campaign, Evidence, Sheet
from .rubrics import Rubric

__all__ = ["Answer", "Appeal", "Campaign", "Evidence", "Rubric", "Sheet"]
