"""Forms for the forum pages: one module per part (``core`` here; the minutes part keeps its own)."""
