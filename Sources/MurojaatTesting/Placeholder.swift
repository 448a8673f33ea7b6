enum _PlaceholderMurojaatTesting {}
