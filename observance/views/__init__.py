"""The pages of the observance app: one module per part of the cycle."""
