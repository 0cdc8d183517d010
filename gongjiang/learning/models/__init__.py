from .attempts import Answer, Attempt, DayFigure, Learner, Mistake, OrgStanding, Standing
from .banks import Bank, Question, Tag
from .papers import Challenge, Contest, Level, Paper

__all__ = ["Answer", "Attempt", "Bank", "Challenge", "Contest", "DayFigure", "Learner", "Level", "Mistake",
           "OrgStanding", "Paper", "Question", "Standing", "Tag"]
from .contests import ContestAward
from .theory import TheoryExam

__all__ += ["ContestAward", "TheoryExam"]
