"""Page images before OCR: measure the page, then clean only what the measurements say pays.

`preprocess` runs the steps (stamp, border, deskew, orient, streaks, upscale, normalize, despeckle),
`masks` holds the connected-component helpers they share, and `pagemap` maps points of the cleaned
page back onto the page as it came in (for the searchable PDF and the word-box exports).
The function is not re-exported here: `vnplans.image.preprocess` stays the module, never shadowed
by its own function (the trap `vnplans.parse` once fell into).
"""
