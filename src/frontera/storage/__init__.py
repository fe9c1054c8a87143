"""Storage adapters: where the situation is read from and imports are written to."""
