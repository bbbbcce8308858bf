"""Renderings of results: check output, explanations, sequence charts, figures, viewer."""
