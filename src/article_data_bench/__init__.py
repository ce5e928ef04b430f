"""The benchmark (``make bench``, ``python -m article_data_bench``): article_data against the bare tools.

    settings   the methods, ratios, scales and repeats
    harness    timing primitives (interleaved rounds, paired ratios)
    measure    what is measured at one scale, on synthetic packages of article_data_build
    report     targets, the Markdown report and the plot

Not part of the wheel.
"""
