enum _PlaceholderIngest {}
