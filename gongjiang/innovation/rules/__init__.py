"""Pure rules of the innovation app: plain data in, plain data out, no ORM (tested exhaustively, hypothesis
included). `workflow`: the proposal's states and transitions; `rewards`: the reward policy's calculation and the
split among co-proposers; `similarity`: Chinese near-duplicate detection with character n-grams; `attachments`:
which files are accepted; `projects`: an innovation project's stages, members, funding and spending;
`review_assignment`: the reviewers of an achievement call, free of conflicts of interest, loads balanced."""

from . import attachments, exhibition, matching, projects, review_assignment, rewards, similarity, workflow

__all__ = ["attachments", "exhibition", "matching", "projects", "review_assignment", "rewards", "similarity",
           "workflow"]
