"""The validation page of a run, ``<out>/data_docs/index.html``: what the suite checked this run and every
finding in the database, in Danish, one self-contained HTML file (no scripts, no fonts, nothing fetched),
so it reads the same offline. Great Expectations' own Data Docs said "Succeeded 100 %" for runs that
quarantined statistics and was blank offline; this page is written from the findings table instead.
"""

from __future__ import annotations

import html
import os
from datetime import datetime

from flows import db
from flows.settings import Settings

PAGE_DIR, PAGE_NAME = "data_docs", "index.html"
MAX_FINDINGS_SHOWN = 2000  # the rest are in validation_results
SOURCE_NAMES = {"row": "regnetjek", "expectation": "datakontrakt (GX)", "sql": "på tværs af dokumenter"}
SEVERITY_NAMES = {"quarantine": "karantæne", "warning": "advarsel"}
STATUS_NAMES = {"valid": "gyldig", "warning": "advarsel", "quarantined": "karantæne"}

_STYLE = """body{font-family:sans-serif;margin:2em;max-width:75em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;
vertical-align:top}th{background:#eee}td.n{text-align:right}.karantæne{color:#a00}.advarsel{color:#a60}
.ok{color:#070}"""


def write_validation_page(settings: Settings, run_id: str, tally) -> None:
    """Write the page from the database (committed by this run) and the suite's tally of this run."""
    with db.connect(settings.db_path, read_only=True, wait_seconds=settings.lock_wait_seconds) as con:
        statuses = dict(con.execute("SELECT status, count(*) FROM appeal_stats GROUP BY status").fetchall())
        findings = con.execute(
            "SELECT s.status, s.municipality, s.period, s.scope, f.code, f.source, f.severity, f.message, "
            "f.document, f.run_id FROM all_findings AS f JOIN appeal_stats AS s USING (stat_id) "
            "ORDER BY s.status DESC, s.municipality, s.period, s.scope, f.code LIMIT ?", [MAX_FINDINGS_SHOWN + 1],
        ).fetchall()
        total = con.execute("SELECT count(*) FROM all_findings").fetchone()[0]
    page = render_page(run_id, _tally_rows(tally), statuses, findings, total, datetime.now())
    folder = settings.out_dir / PAGE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    staged = folder / f".{PAGE_NAME}.new"
    staged.write_text(page, encoding="utf-8")
    os.replace(staged, folder / PAGE_NAME)


def _tally_rows(tally) -> list[tuple]:
    """(code, source, severity, why, evaluated, failed) per expectation of this run's validations."""
    if tally is None:
        return []
    return [(code, source, severity, why, tally.evaluated.get(code, 0), tally.failed.get(code, 0))
            for code, (severity, why, source, _type) in tally.meta.items()]


def render_page(run_id: str, tally_rows: list[tuple], statuses: dict, findings: list[tuple], total_findings: int,
                generated_at: datetime) -> str:
    """The page as HTML. ``tally_rows``: (code, source, severity, why, evaluated, failed) per expectation;
    ``statuses``: status -> statistics in the database; ``findings``: (status, kommune, period, scope, code,
    source, severity, message, document, run_id)."""
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="da"><head><meta charset="utf-8">',
           f"<title>Validering, kørsel {e(run_id)}</title><style>{_STYLE}</style></head><body>",
           f"<h1>Validering af ankestatistikkerne</h1><p>Kørsel {e(run_id)}, skrevet "
           f"{generated_at:%d.%m.%Y %H:%M}.</p>", "<h2>Databasen nu</h2><table><tr><th>status</th><th>statistikker"
           "</th></tr>"]
    for status in ("valid", "warning", "quarantined"):
        css = "ok" if status == "valid" else STATUS_NAMES[status]
        out.append(f'<tr><td class="{css}">{STATUS_NAMES[status]}</td><td class="n">{statuses.get(status, 0)}</td>'
                   "</tr>")
    out.append("</table>")
    out.append("<h2>Denne kørsels kontrol af nye og ændrede statistikker</h2>")
    if not tally_rows:
        out.append("<p>Ingen nye eller ændrede statistikker i denne kørsel: der var intet at kontrollere.</p>")
    else:
        failed_checks = sum(1 for row in tally_rows if row[5])
        rows = max(row[4] for row in tally_rows)
        verdict = ("alle kontroller bestået" if not failed_checks else
                   f"{failed_checks} af {len(tally_rows)} kontroller fandt fejl")
        css = "ok" if not failed_checks else "karantæne"
        out.append(f'<p class="{css}"><b>{rows} statistikker kontrolleret, {verdict}.</b> Regnetjekkene '
                   "(tallene går op) er en del af Great Expectations-pakken.</p>")
        out.append("<table><tr><th>kode</th><th>slags</th><th>ved fejl</th><th>hvad kontrolleres</th>"
                   "<th>rækker</th><th>fejl</th><th>bestået</th></tr>")
        for code, source, severity, why, evaluated, failed in tally_rows:
            share = 100.0 * (evaluated - failed) / evaluated if evaluated else 100.0
            css = "ok" if not failed else SEVERITY_NAMES.get(severity, "")
            out.append(f"<tr><td><code>{e(code)}</code></td><td>{e(SOURCE_NAMES.get(source, source))}</td>"
                       f"<td>{e(SEVERITY_NAMES.get(severity, severity))}</td><td>{e(why)}</td>"
                       f'<td class="n">{evaluated}</td><td class="n {css}">{failed}</td>'
                       f'<td class="n">{f"{share:.1f}".replace(".", ",")} %</td></tr>')
        out.append("</table>")
    out.append(f"<h2>Alle fund i databasen ({total_findings})</h2>")
    if total_findings > len(findings[:MAX_FINDINGS_SHOWN]):
        out.append(f"<p>De første {MAX_FINDINGS_SHOWN} vises; alle står i <code>validation_results</code>.</p>")
    if findings:
        out.append("<table><tr><th>status</th><th>kommune</th><th>periode</th><th>område</th><th>kode</th>"
                   "<th>slags</th><th>besked</th><th>dokument</th></tr>")
        for status, kommune, period, scope, code, source, _severity, message, document, _run in \
                findings[:MAX_FINDINGS_SHOWN]:
            name = STATUS_NAMES.get(status, status)
            out.append(f'<tr><td class="{name}">{e(name)}</td><td>{e(str(kommune or ""))}</td><td>{e(period)}</td>'
                       f"<td>{e(scope)}</td><td><code>{e(code)}</code></td>"
                       f"<td>{e(SOURCE_NAMES.get(source, source))}</td><td>{e(message)}</td>"
                       f"<td>{e(document)}</td></tr>")
        out.append("</table>")
    else:
        out.append("<p>Ingen.</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
