"""thutuc: a catalogue of Vietnamese administrative procedures, kept as validated YAML."""

__version__ = "0.1.0"
