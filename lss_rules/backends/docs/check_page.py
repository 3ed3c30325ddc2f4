"""The docs page "Granska fil": a file checked in the reader's browser, with nothing sent anywhere.

:func:`checker_files` gives the site's files for it: the page (``granska.md``,
plain HTML inside markdown), the JavaScript validator of every listed year
(``granska/lss-YEAR.mjs``, from :mod:`lss_rules.backends.javascript.to_javascript`) and the
page's own fixed scripts (``lss_rules/backends/docs/page/``: the page, its Web
Worker and style sheet, hand-written and free of any rule).  The docs hook adds
them like the other generated pages; no file comes from another site (no CDN),
so the page works from the built site with the network cut.

>>> from lss_rules.language.load import load_spec
>>> files = checker_files(load_spec())
>>> "granska.md" in files and "granska/worker.js" in files
True
"""

from __future__ import annotations

import html
from importlib import resources

from lss_rules.backends.javascript.to_javascript import to_javascript
from lss_rules.language import model as m

PAGE = "granska.md"
ASSETS = ("app.js", "worker.js", "app.css")


def _asset(name: str) -> str:
    return (resources.files("lss_rules.backends.docs") / "page" / name).read_text(encoding="utf-8")


def page_md(years: list[int], latest: int) -> str:
    """The page: what it does, the form, and where the results go (ids used by ``app.js``)."""
    options = "".join(
        f'<option value="{y}"{" selected" if y == latest else ""}>{y}</option>' for y in sorted(years, reverse=True)
    )
    e = html.escape
    lines = [
        "# Granska fil",
        "",
        "Granska kommunens fil mot ett års regler direkt här i webbläsaren: välj år och fil och klicka på "
        "**Granska**. Resultatet säger om filen är godkänd och, för varje fel, vad som hittades och vad som "
        "krävs. Flera kommuners filer kan granskas på en gång. [Så granskar ni er fil](guide/kommuner.md) "
        "beskriver hela vägen, från filen ur verksamhetssystemet till en godkänd fil.",
        "",
        '<div class="lss-granska" id="lss-granska">',
        '<p class="lss-privacy"><strong>Inga uppgifter lämnar datorn.</strong> Filerna läses bara här i '
        "webbläsaren; sidan skickar ingenting över nätet. När sidan har laddats fungerar granskningen även "
        "utan nätverksanslutning.</p>",
        '<form id="lss-form" novalidate>',
        f'<div><label for="lss-year">Insamlingsår</label><select id="lss-year">{options}</select></div>',
        '<div id="lss-drop" class="lss-drop"><label for="lss-files">Filer att granska (en fil per kommun)</label>'
        # the browser's own file control speaks the browser's language ("Choose Files", "No file chosen"):
        # it is kept (keyboard, screen readers, dropping) but transparent over a Swedish button of ours
        '<span class="lss-file"><input type="file" id="lss-files" multiple aria-describedby="lss-chosen">'
        '<span class="lss-file-button" aria-hidden="true">Välj filer …</span></span>'
        '<p id="lss-chosen" aria-live="polite"></p><p>Du kan också släppa filerna här.</p></div>',
        '<div><label for="lss-deceased">Utdrag ur dödsregistret (valfritt, '
        f"{e('personnummer;ÅÅÅÅ-MM-DD')} per rad)</label>"
        '<span class="lss-file"><input type="file" id="lss-deceased" aria-describedby="lss-dead-chosen">'
        '<span class="lss-file-button" aria-hidden="true">Välj fil …</span></span>'
        '<p id="lss-dead-chosen" aria-live="polite">Ingen fil vald.</p></div>',
        '<div><button type="submit" id="lss-run">Granska</button></div>',
        "</form>",
        '<div id="lss-progress" hidden><progress id="lss-bar" max="1" value="0"></progress> '
        '<span id="lss-progress-text" role="status" aria-live="polite"></span></div>',
        '<div id="lss-error" role="alert" hidden></div>',
        # opened from disk (file://) the browser runs no module script and no module worker: the page would do
        # nothing and say nothing, so a classic inline script says how to open it
        '<p id="lss-from-disk" class="lss-from-disk" role="alert" hidden>Sidan är öppnad som en fil från disken, '
        "och då kan webbläsaren inte granska filer här; öppna webbplatsen via dess webbadress (som börjar med "
        "http:// eller https://) i stället.</p>",
        '<script>if (location.protocol === "file:") { document.getElementById("lss-from-disk").hidden = false; '
        'document.getElementById("lss-run").disabled = true; }</script>',
        '<section id="lss-result" hidden aria-labelledby="lss-result-heading">',
        '<h2 id="lss-result-heading" tabindex="-1">Resultat</h2>',
        '<p id="lss-status" class="lss-status" role="status" aria-live="polite"></p>',
        '<ul id="lss-notes"></ul>',
        '<table id="lss-files-table"><caption>Filer</caption><thead><tr><th scope="col">Fil</th>'
        '<th scope="col">Poster</th><th scope="col">Status</th></tr></thead><tbody></tbody></table>',
        '<h3 id="lss-counts-heading">Fynd per regel</h3>',
        '<p id="lss-counts-none">Inga fynd.</p>',
        '<table id="lss-counts" aria-labelledby="lss-counts-heading"><thead><tr><th scope="col">Regel</th>'
        '<th scope="col">Titel</th><th scope="col">Allvarlighetsgrad</th><th scope="col">Antal</th></tr></thead>'
        "<tbody></tbody></table>",
        '<h3 id="lss-findings-heading">Fynd</h3>',
        '<div class="lss-filters">'
        '<div><label for="lss-filter-rule">Regel</label><select id="lss-filter-rule"></select></div>'
        '<div><label for="lss-filter-file">Fil</label><select id="lss-filter-file"></select></div>'
        '<div><label for="lss-order">Ordna</label><select id="lss-order"><option value="line">per fil och rad'
        '</option><option value="rule">per regel</option></select></div>'
        '<div><input type="checkbox" id="lss-show-pnr"> <label for="lss-show-pnr" style="display:inline">'
        "Visa hela personnummer</label></div>"
        '<div><button type="button" id="lss-download">Ladda ner JSON-rapporten</button></div></div>',
        '<p id="lss-findings-count" aria-live="polite"></p>',
        '<ol id="lss-findings" class="lss-findings" aria-labelledby="lss-findings-heading"></ol>',
        '<button type="button" id="lss-more" class="lss-secondary" hidden>Visa fler fynd</button>',
        "</section>",
        "</div>",
        '<link rel="stylesheet" href="granska/app.css">',
        '<script type="module" src="granska/app.js"></script>',
        "",
        "Personnummer visas maskerade (`19800101-****`) tills du väljer att visa dem; den nedladdade rapporten "
        "följer samma val.",
        "",
        '??? info "För leverantörer och tekniker"',
        "    Den nedladdade rapporten är byte för byte den som `lss-rules validate --format json` ger för samma "
        "filer. Varje års validerare är en fristående JavaScript-modul som genereras från samma specifikation "
        "som Python-valideraren (`lss-rules compile --year ÅR --target js`).",
        "",
    ]
    return "\n".join(lines)


def checker_files(spec: m.Spec, years: list[int] | None = None) -> dict[str, str]:
    """The page, its scripts and one validator module per year: path relative to ``docs/`` -> text."""
    from lss_rules.language.history import listed_years

    years = list(listed_years(spec)) if years is None else years
    files = {PAGE: page_md(years, max(years))}
    for y in years:
        files[f"granska/lss-{y}.mjs"] = to_javascript(spec.for_year(y))
    for name in ASSETS:
        files[f"granska/{name}"] = _asset(name)
    return files
