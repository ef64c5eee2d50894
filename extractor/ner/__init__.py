"""The statistical extractor: a spaCy pipeline (underthesea word tokens, a small
trained NER for ORG, LOC and CATEGORY, the pattern data as a rule component)
beside the rule extractors.

Modules: ``tokenizer`` (spaCy tokenizer over underthesea's word segmentation),
``pipeline`` (build and load the pipeline), ``extract`` (model mentions, the
combination with the rules, figure hooks), ``data`` and ``augment`` (training
and dev data with provenance), ``train`` (rebuild the shipped model).
Nothing here imports spaCy until it is used.
"""
