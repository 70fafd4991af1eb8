"""The boundary: JSON codec, JSON Schema, document limits and upgrades. It calls into the domain."""
