"""The law and the guidance as plain functions: no Django import, no I/O."""
