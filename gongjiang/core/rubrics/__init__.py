"""The rubric engine (考核细则), pure, no ORM: a rubric's items and their scoring modes (rubric), a sheet's score from
its answers (scoring), grades, star grades and rankings (grades). Numbers in, numbers out; tested exhaustively.
Shared kit: the assessments (考核 of the unions' work) and the honours (the yearly assessment of studios and innovative
teams) both score with it, each keeping its own records."""
