"""Pure rules of the assessments (考核), no ORM: a rubric's items and their scoring (rubric), a sheet's score from
its answers (scoring), grades, star grades and rankings (grades). Numbers in, numbers out; tested exhaustively."""
