"""The documentation site: ``site`` (the pages), ``spec_sections`` (source and worked examples on rule pages),
``check_page`` (the page "Granska fil", with ``page/``).
"""
