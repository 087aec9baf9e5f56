"""Text primitives every stage shares: normalisation, character classes, comparison forms.

The lowest layer above ``errors``: it knows nothing of documents, glossaries or tasks, so
the segmenter, ingest, the glossary, the TM and QA can all use it without importing each
other. Modules: ``normalize`` (ingest's normalisation with an offset map), ``scripts``
(Han and Chinese-punctuation classes), ``compare`` (the forms under which two texts are
the same), ``english`` (English tokens, lemmas and phrase search), ``numbers`` (the numbers
a Chinese or English sentence states).
"""
