"""Sentence alignment of parallel zh/en documents (``workbench align``, issue 11).

The aligner (``aligner``, ``dp``, ``galechurch``, ``scoring``, ``encoders``) pairs the
sentences of two documents; ``importer`` brings the aligned pairs into the translation memory.
"""
