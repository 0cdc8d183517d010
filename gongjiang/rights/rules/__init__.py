"""Pure rules of democratic management and collective contracts (no ORM): plain data in, plain data out."""
