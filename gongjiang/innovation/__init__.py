"""Mass technical innovation (群众性技术创新): rationalization proposals (合理化建议), golden ideas (金点子) and the
five-small innovations (五小). See docs/innovation.md (the officer's guide) and docs/architecture.md."""
