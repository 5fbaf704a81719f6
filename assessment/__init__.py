"""Cluster Sustainability Self-Assessment: questionnaire models, loading and answers."""
