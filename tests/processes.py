"""What the tests that run several processes at once share."""

from __future__ import annotations

import multiprocessing

WAIT = 30.0  # seconds; generous, so that a loaded 2-core machine never makes a test flake
FORK = multiprocessing.get_context("fork")

DEMO_ROADMAP = """\
version: 1
roadmaps:
  - id: demo
    title: Demo
    resources:
      - {id: alpha, title: Alpha, url: "https://example.org/alpha", hours: 1}
      - {id: beta, title: Beta, url: "https://example.org/beta", hours: 2}
"""
