"""Synthetic documents: generate plans, render them to pages, degrade them like real scans."""
