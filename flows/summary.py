"""The short summary printed at the end of a run."""

from __future__ import annotations

from flows.settings import Settings


def shown(text: object) -> str:
    """``text`` safe to print on one line: control characters (newlines, terminal escapes) written as escapes,
    so a file name cannot forge a line of the log or drive the terminal. Danish letters stay as they are."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def format_summary(summary, settings: Settings) -> str:
    by_status = summary.statistics_by_status
    lines = [
        f"ankestat run {summary.run_id} (task runner: {summary.task_runner})",
        f"  documents: {summary.documents_seen} found, {summary.documents_read} read, "
        f"{summary.documents_unchanged} unchanged since the last run",
        f"  in database: {summary.documents_rejected} documents rejected, "
        f"{len(summary.report.duplicates)} byte-identical copies of another (recorded, not read twice), "
        f"{len(summary.report.missing)} missing from the input folder (kept; --prune forgets them)",
        f"  statistics: {by_status.get('valid', 0)} valid, {by_status.get('warning', 0)} warning, "
        f"{by_status.get('quarantined', 0)} quarantined",
    ]
    for name, reason in summary.report.rejected:
        lines.append(f"  rejected {shown(name)}: {shown(reason)}")
    latest = summary.report.latest_rates
    if not latest.empty:
        lines.append("")
        lines.append("  latest reversal rate per kommune and scope (national average in brackets):")
        for row in latest.itertuples():
            national = "" if row.national_rate_pct != row.national_rate_pct else f" ({row.national_rate_pct:g} %)"
            mark = {"warning": " *", "conflict": " * (sources disagree)"}.get(row.status, "")
            lines.append(f"    {row.municipality:<16} {row.scope:<18} {row.period:<8} "
                         f"{row.rate_pct:>5.1f} %{national}{mark}")
        lines.append("    * see messages in kommune_figures")
    lines.append("")
    lines.append(f"  database: {shown(settings.db_path)}   reports: {shown(settings.out_dir)}")
    return "\n".join(lines)


def strict_trouble(summary) -> str:
    """Why a run fails under --strict, in words; '' when it does not."""
    quarantined = summary.statistics_by_status.get("quarantined", 0)
    parts = [f"{summary.documents_rejected} documents rejected" if summary.documents_rejected else "",
             f"{quarantined} statistics quarantined" if quarantined else ""]
    return ", ".join(p for p in parts if p)
