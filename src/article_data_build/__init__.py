"""The build: annotation inputs in, the published data package out. Not part of the wheel.

One step per module, in the order the build runs them::

    layout       where the inputs, outputs and build state live in a repository
    inputs       read and check annotations/*.yaml, annotations/schemas/, the text
    text         find an annotated string in the article (offsets, paragraph)
    tables       one builder per table, over a shared span-row helper
    entities     people, organizations, places; mentions and aliases computed
    assemble     all of the above into a typed BuiltPackage
    writer       data/, schemas/ and datapackage.json (with sizes and hashes)
    dictionary   DATA_DICTIONARY.md from the Table Schemas
    croissant    croissant.json (MLCommons Croissant 1.0 + RAI)
    jsonld       article.jsonld (schema.org NewsArticle)
    publish      staging, validation, lock, journal and the atomic swap
    release      the version guard and the reproducible release zip
    synthetic    scaled synthetic packages for the benchmark and tests
    cli          ``python -m article_data_build``

The build imports ``article_data`` (the vocabulary, the writer of table files, and
the validation of the staging copy); ``article_data`` never imports the build.
"""
