"""Pure rules of the archive (no ORM): the hardship grade and the reading of a household's figures."""
