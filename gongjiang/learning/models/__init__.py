from .attempts import Answer, Attempt, Learner, Mistake, OrgStanding, Standing
from .banks import Bank, Question, Tag
from .contests import ContestAward
from .papers import Challenge, Contest, Level, Paper
from .theory import TheoryExam
from .training import Attendance, Material, MaterialCompletion, MentorPair, SessionFile, TrainingSession

__all__ = ["Answer", "Attempt", "Attendance", "Bank", "Challenge", "Contest", "ContestAward", "Learner",
           "Level", "Material", "MaterialCompletion", "MentorPair", "Mistake", "OrgStanding", "Paper", "Question",
           "SessionFile", "Standing", "Tag", "TheoryExam", "TrainingSession"]
