"""Live updates: an event broker behind one small interface, streamed to browsers as SSE."""
