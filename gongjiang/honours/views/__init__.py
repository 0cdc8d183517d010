"""The honours pages, by topic: honour types, campaigns with their quota tables, nominations."""
