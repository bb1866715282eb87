-- The consolidated layer: one figure per kommune, period and scope, and one national figure per period and
-- scope, each with all its sources. Views over the stored statements (appeal_stats, reported_national_rates,
-- reference_national_rates), so there is no second copy to drift. Applied after schema.sql.

-- The official three-digit kommune codes; filled from extract/municipalities.py by flows/db.py.
CREATE TABLE IF NOT EXISTS reference_kommuner (
    municipality  VARCHAR PRIMARY KEY,
    kommune_code  INTEGER NOT NULL
);

-- Danish names of the figure columns, for the messages a reader sees, in the order a message names them: the
-- rate first, so a message cut short for the report keeps it.
CREATE OR REPLACE VIEW figure_field_names AS
SELECT * FROM (VALUES
    ('reported_rate_pct', 'omgørelsesprocenten', 1), ('national_rate_pct', 'landsgennemsnittet', 2),
    ('decided', 'afgjorte sager', 3), ('received', 'modtagne klager', 4), ('stadfaestet', 'stadfæstede', 5),
    ('hjemvist', 'hjemviste', 6), ('aendret', 'ændrede', 7), ('afvist', 'afviste', 8), ('reversed', 'omgjorte', 9),
    ('stadfaestet_pct', 'andelen stadfæstede', 10), ('hjemvist_pct', 'andelen hjemviste', 11),
    ('aendret_pct', 'andelen ændrede', 12), ('computed_rate_pct', 'den beregnede omgørelsesprocent', 13)
) AS t(field, danish, position);

CREATE OR REPLACE VIEW kommune_figures AS
WITH statements AS (
    -- Law, committee and other areas are told apart by their label; the fixed scopes are not (one minute
    -- writes "socialområdet", another "det sociale område").
    SELECT *, CASE WHEN scope IN ('law', 'committee', 'other') THEN area_label END AS area_key,
           concat_ws(' ', coalesce(committee, document), strftime(meeting_date, '%d.%m.%Y')) AS source_name,
           -- one string for the grouping: joins on it need no NULL-safe comparisons
           concat_ws('|', municipality, period, scope, coalesce(area_key, ''), coalesce(paragraph_key, ''))
               AS figure_key
    FROM appeal_stats
    WHERE status <> 'quarantined' AND municipality IS NOT NULL
),
long AS (
    -- One row per stated value (UNPIVOT leaves out what a statement does not state).
    SELECT * FROM (
        SELECT figure_key, document, source_name,
               received::DOUBLE AS received, decided::DOUBLE AS decided, stadfaestet::DOUBLE AS stadfaestet,
               hjemvist::DOUBLE AS hjemvist, aendret::DOUBLE AS aendret, afvist::DOUBLE AS afvist,
               reversed::DOUBLE AS reversed, stadfaestet_pct, hjemvist_pct, aendret_pct, reported_rate_pct,
               computed_rate_pct, national_rate_pct
        FROM statements
    ) UNPIVOT (value FOR field IN (received, decided, stadfaestet, hjemvist, aendret, afvist, reversed,
                                   stadfaestet_pct, hjemvist_pct, aendret_pct, reported_rate_pct,
                                   computed_rate_pct, national_rate_pct))
),
votes AS (
    -- Each distinct value of a field with the sources that state it; rank 1 = stated by the most sources.
    -- A message names at most three sources of a value and five values of a field: a figure restated in
    -- hundreds of minutes must not make a message of pages (all sources are in the column sources).
    SELECT figure_key, field, round(value, 2) AS value,
           count(DISTINCT document) AS n,
           list(DISTINCT source_name ORDER BY source_name) AS names
    FROM long
    GROUP BY ALL
),
ranked AS (
    SELECT *, rank() OVER (PARTITION BY figure_key, field ORDER BY n DESC) AS place,
           row_number() OVER (PARTITION BY figure_key, field ORDER BY n DESC, value) AS listed,
           count(*) OVER (PARTITION BY figure_key, field) AS n_values,
           CASE WHEN len(names) <= 3 THEN array_to_string(names, ', ')
                ELSE array_to_string(names[1:3], ', ') || ' og ' || (len(names) - 3) || ' andre' END AS stated_by
    FROM votes
),
fields AS (
    -- The value kept: the one most sources state; none when two values are stated by as many sources.
    SELECT figure_key, field,
           CASE WHEN count(*) FILTER (WHERE place = 1) = 1 THEN max(value) FILTER (WHERE place = 1) END AS value,
           max(n_values) > 1 AND field <> 'computed_rate_pct' AS disagrees,
           string_agg(
               CASE WHEN field LIKE '%_pct'
                    THEN replace(CAST(round(value, 1) AS VARCHAR), '.', ',') || ' %'
                    ELSE CAST(CAST(value AS BIGINT) AS VARCHAR) END
               || ' (' || stated_by || ')', ', ' ORDER BY value) FILTER (WHERE listed <= 5)
           || CASE WHEN max(n_values) > 5 THEN ' og ' || (max(n_values) - 5) || ' andre værdier' ELSE '' END
               AS stated
    FROM ranked
    GROUP BY figure_key, field
),
merged AS (
    SELECT figure_key,
           max(value) FILTER (WHERE field = 'received') AS received,
           max(value) FILTER (WHERE field = 'decided') AS decided,
           max(value) FILTER (WHERE field = 'stadfaestet') AS stadfaestet,
           max(value) FILTER (WHERE field = 'hjemvist') AS hjemvist,
           max(value) FILTER (WHERE field = 'aendret') AS aendret,
           max(value) FILTER (WHERE field = 'afvist') AS afvist,
           max(value) FILTER (WHERE field = 'reversed') AS reversed,
           max(value) FILTER (WHERE field = 'stadfaestet_pct') AS stadfaestet_pct,
           max(value) FILTER (WHERE field = 'hjemvist_pct') AS hjemvist_pct,
           max(value) FILTER (WHERE field = 'aendret_pct') AS aendret_pct,
           max(value) FILTER (WHERE field = 'reported_rate_pct') AS reported_rate_pct,
           max(value) FILTER (WHERE field = 'computed_rate_pct') AS computed_rate_pct,
           max(value) FILTER (WHERE field = 'national_rate_pct') AS national_rate_pct,
           bool_or(disagrees) AS has_conflict,
           string_agg(CASE WHEN disagrees THEN n.danish || ' er oplyst forskelligt: ' || stated END, '; '
                      ORDER BY n.position) AS conflict_messages
    FROM fields JOIN figure_field_names AS n USING (field)
    GROUP BY figure_key
),
groups AS (
    SELECT figure_key, any_value(municipality) AS municipality, any_value(period) AS period,
           any_value(scope) AS scope, any_value(area_key) AS area_key, any_value(paragraph_key) AS paragraph_key,
           any_value(year) AS year,
           first(area_label ORDER BY document) AS area_label,
           first(paragraphs ORDER BY document) AS paragraphs,
           count(DISTINCT document) AS n_sources,
           list({'document': document, 'committee': committee, 'meeting_date': meeting_date,
                 'agenda_item': agenda_item, 'page': page, 'stat_id': stat_id}
                ORDER BY meeting_date NULLS LAST, document) AS sources,
    FROM statements
    GROUP BY figure_key
),
warnings AS (
    -- The sources' warnings, each once with (at most three of) the sources that give it. Not the check that
    -- one figure is stated differently in two documents: here that is a conflict with its own message, and
    -- the check also compares figures this view keeps apart (two laws of one kommune and year).
    SELECT figure_key,
           string_agg(text, '; ' ORDER BY text) FILTER (WHERE listed <= 5)
           || CASE WHEN count(*) > 5 THEN '; og ' || (count(*) - 5) || ' andre advarsler' ELSE '' END
               AS source_messages
    FROM (
        SELECT figure_key, message || ' (' || CASE WHEN len(names) <= 3 THEN array_to_string(names, ', ')
                   ELSE array_to_string(names[1:3], ', ') || ' og ' || (len(names) - 3) || ' andre' END || ')'
                   AS text,
               row_number() OVER (PARTITION BY figure_key ORDER BY message) AS listed
        FROM (
            SELECT st.figure_key, f.message, list(DISTINCT st.source_name ORDER BY st.source_name) AS names
            FROM statements AS st
            JOIN all_findings AS f USING (stat_id)
            WHERE f.severity = 'warning' AND f.code <> 'same_figure_across_documents'
            GROUP BY st.figure_key, f.message
        )
    )
    GROUP BY figure_key
),
official AS (
    -- Two official rates of one period and scope less than a point apart (2018: 30 and 30,5) are one rate
    -- rounded twice: keep the more precise. Further apart, none is kept here; national_figures shows all.
    SELECT period, scope, CASE WHEN scope IN ('law', 'committee', 'other') THEN area_label END AS area_key,
           CASE WHEN max(national_rate_pct) - min(national_rate_pct) < 1
                THEN arg_max(national_rate_pct, CASE WHEN national_rate_pct = round(national_rate_pct) THEN 0
                                                     WHEN national_rate_pct = round(national_rate_pct, 1) THEN 1
                                                     ELSE 2 END) END AS rate
    FROM reference_national_rates
    GROUP BY ALL
)
SELECT g.municipality, k.kommune_code, g.period, g.year, g.scope, g.area_label, g.paragraphs, g.paragraph_key,
       CAST(m.received AS INTEGER) AS received, CAST(m.decided AS INTEGER) AS decided,
       CAST(m.stadfaestet AS INTEGER) AS stadfaestet, CAST(m.hjemvist AS INTEGER) AS hjemvist,
       CAST(m.aendret AS INTEGER) AS aendret, CAST(m.afvist AS INTEGER) AS afvist,
       CAST(m.reversed AS INTEGER) AS reversed,
       m.stadfaestet_pct, m.hjemvist_pct, m.aendret_pct,
       CAST(m.stadfaestet + m.hjemvist + m.aendret AS INTEGER) AS realitetsbehandlede,
       m.reported_rate_pct, m.computed_rate_pct,
       coalesce(m.reported_rate_pct, m.computed_rate_pct) AS rate_pct,
       coalesce(m.national_rate_pct, o.rate) AS national_rate_pct,
       CASE WHEN m.national_rate_pct IS NOT NULL THEN 'referat' WHEN o.rate IS NOT NULL THEN 'officiel' END
           AS national_source,
       g.n_sources, g.sources,
       CASE WHEN m.has_conflict THEN 'conflict' WHEN w.figure_key IS NOT NULL THEN 'warning' ELSE 'valid' END
           AS status,
       nullif(concat_ws('; ', m.conflict_messages, w.source_messages), '') AS messages
FROM groups AS g
JOIN merged AS m USING (figure_key)
LEFT JOIN warnings AS w USING (figure_key)
LEFT JOIN reference_kommuner AS k USING (municipality)
LEFT JOIN official AS o
       ON o.period = g.period AND o.scope = g.scope AND g.paragraph_key IS NULL
      AND o.area_key IS NOT DISTINCT FROM g.area_key;

CREATE OR REPLACE VIEW national_figures AS
WITH stated AS (
    SELECT r.period, r.year, r.scope, r.paragraphs, r.rate_pct,
           {'document': r.document, 'committee': d.committee, 'meeting_date': d.meeting_date, 'page': r.page,
            'rate_pct': r.rate_pct} AS source
    FROM reported_national_rates AS r
    LEFT JOIN documents AS d USING (document)
),
by_documents AS (
    SELECT period, any_value(year) AS year, scope, paragraphs,
           list(DISTINCT rate_pct ORDER BY rate_pct) AS stated_rates,
           count(DISTINCT source.document) AS n_sources,
           list(source ORDER BY source.meeting_date NULLS LAST, source.document) AS sources
    FROM stated
    GROUP BY period, scope, paragraphs
),
official AS (
    -- Official rates of a law or another area are told apart by its name.
    SELECT period, scope, CASE WHEN scope IN ('law', 'committee', 'other') THEN area_label END AS area_label,
           list(DISTINCT national_rate_pct ORDER BY national_rate_pct) AS official_rates,
           list(DISTINCT source_url ORDER BY source_url) AS official_sources
    FROM reference_national_rates
    GROUP BY ALL
)
SELECT coalesce(b.period, o.period) AS period,
       coalesce(b.year, CAST(left(o.period, 4) AS INTEGER)) AS year,
       coalesce(b.scope, o.scope) AS scope,
       o.area_label,
       b.paragraphs,
       CASE WHEN len(o.official_rates) = 1 THEN o.official_rates[1] END AS official_rate_pct,
       o.official_rates, o.official_sources,
       b.stated_rates, coalesce(b.n_sources, 0) AS n_sources, b.sources,
       CASE WHEN o.official_rates IS NULL THEN 'no_official'
            WHEN b.stated_rates IS NULL THEN 'official_only'
            WHEN list_bool_and(list_transform(b.stated_rates, lambda x:
                     list_bool_or(list_transform(o.official_rates, lambda y: abs(x - y) < 0.05))))
                THEN 'agrees'
            ELSE 'differs' END AS status
FROM by_documents AS b
FULL OUTER JOIN official AS o
       ON b.period = o.period AND b.scope = o.scope AND b.paragraphs IS NULL AND o.area_label IS NULL;
