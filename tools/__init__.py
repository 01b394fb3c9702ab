"""Developer tools that build the committed models and samples (run as `python -m tools.<name>`)."""
