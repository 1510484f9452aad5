"""Every benchmark, one after the other: ``python -m bench`` (about 15 minutes on two cores).

Never alongside tests or another benchmark: they would share the two cores and skew the figures.
"""

from bench import browser, scale

if __name__ == "__main__":
    scale.main([])
    browser.main([])
