-- ankestat's DuckDB schema. Tables say their layer: raw inputs (documents), core_ facts, reference_ data.
-- The user-facing contract is the view appeal_stats and the tables documents and reported_national_rates.
-- A statistic's status is derived once, in appeal_stats, from all its findings: the row checks and the
-- expectation suite (table findings, replaced with their document) and the checks across documents and
-- against the reference (view sql_findings, always current).

CREATE TABLE IF NOT EXISTS documents (
    document      VARCHAR PRIMARY KEY,   -- file name
    sha256        VARCHAR NOT NULL,
    format        VARCHAR,
    municipality  VARCHAR,
    committee     VARCHAR,
    meeting_date  DATE,
    status        VARCHAR NOT NULL,      -- 'ok' or 'rejected'
    reason        VARCHAR,               -- why it was rejected
    n_statistics  INTEGER NOT NULL,
    loaded_at     TIMESTAMP NOT NULL,
    is_missing    BOOLEAN NOT NULL DEFAULT false, -- the file is gone from the input folder (kept until --prune)
    notes         VARCHAR                -- what reading recovered from, e.g. 'removed 1 NUL byte'
);
-- Databases made before the notes column.
ALTER TABLE documents ADD COLUMN IF NOT EXISTS notes VARCHAR;

CREATE TABLE IF NOT EXISTS core_statistics (
    stat_id           VARCHAR PRIMARY KEY,
    document          VARCHAR NOT NULL,
    document_sha256   VARCHAR NOT NULL,
    municipality      VARCHAR,
    committee         VARCHAR,
    meeting_date      DATE,
    agenda_item       VARCHAR,
    period            VARCHAR NOT NULL,
    year              INTEGER NOT NULL,
    scope             VARCHAR NOT NULL,
    area_label        VARCHAR,
    paragraphs        VARCHAR,
    paragraph_key     VARCHAR,
    received          INTEGER,
    decided           INTEGER,
    stadfaestet       INTEGER,
    hjemvist          INTEGER,
    aendret           INTEGER,
    afvist            INTEGER,
    reversed          INTEGER,
    stadfaestet_pct   DOUBLE,
    hjemvist_pct      DOUBLE,
    aendret_pct       DOUBLE,
    reported_rate_pct DOUBLE,
    computed_rate_pct DOUBLE,
    national_rate_pct DOUBLE,
    page              INTEGER,
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL,
    quote             VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS reported_national_rates (
    document          VARCHAR NOT NULL,
    document_sha256   VARCHAR NOT NULL,
    period            VARCHAR NOT NULL,
    year              INTEGER NOT NULL,
    scope             VARCHAR NOT NULL,
    paragraphs        VARCHAR,
    rate_pct          DOUBLE NOT NULL,
    page              INTEGER,
    char_start        INTEGER NOT NULL,
    char_end          INTEGER NOT NULL,
    quote             VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS reference_national_rates (
    period             VARCHAR NOT NULL,
    scope              VARCHAR NOT NULL,
    area_label         VARCHAR,
    national_rate_pct  DOUBLE NOT NULL,
    source_url         VARCHAR,
    quote              VARCHAR
);

-- Every failed check of a stored statistic: its stable code, severity and Danish message. Written with the
-- statistic's document and deleted with it, so a re-read document brings its own findings.
CREATE TABLE IF NOT EXISTS findings (
    document    VARCHAR NOT NULL,
    stat_id     VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,        -- e.g. 'rate_matches_counts', 'scope_is_known'
    severity    VARCHAR NOT NULL,        -- 'quarantine' or 'warning'
    message     VARCHAR NOT NULL,        -- Danish, with the numbers
    source      VARCHAR NOT NULL,        -- 'row' (transform/checks.py) or 'expectation' (the GX suite)
    position    INTEGER NOT NULL,        -- order within the statistic's messages
    run_id      VARCHAR NOT NULL,
    checked_at  TIMESTAMP NOT NULL
);

-- 42.4 -> '42,4', 26.0 -> '26': numbers in messages as a Danish reader writes them.
CREATE OR REPLACE MACRO da_number(x) AS replace(regexp_replace(printf('%.2f', x), '\.?0+$', ''), '.', ',');
CREATE OR REPLACE MACRO da_period(p) AS CASE
    WHEN p LIKE '%-Q_' THEN right(p, 1) || '. kvartal ' || left(p, 4)
    WHEN p LIKE '%-H_' THEN right(p, 1) || '. halvår ' || left(p, 4)
    ELSE p
END;
CREATE OR REPLACE MACRO da_scope(s) AS CASE s
    WHEN 'all' THEN 'social- og beskæftigelsesområdet samlet'
    WHEN 'social' THEN 'socialområdet'
    WHEN 'child_disability' THEN 'børnehandicapområdet'
    WHEN 'adult_disability' THEN 'voksenhandicapområdet'
    WHEN 'employment' THEN 'beskæftigelsesområdet'
    WHEN 'committee' THEN 'udvalgets område'
    WHEN 'law' THEN 'lovområdet'
    ELSE 'andet område'
END;

-- Checks that need more than one row: the national average against the official one, and the same
-- kommune, period and scope stated differently in two documents (quarantined rows take no part).
CREATE OR REPLACE VIEW sql_findings AS
WITH official AS (
    SELECT period, scope, list(national_rate_pct ORDER BY national_rate_pct) AS rates
    FROM reference_national_rates
    GROUP BY period, scope
),
national_mismatch AS (
    SELECT s.document, s.stat_id,
           'national_matches_official' AS code,
           format('landsgennemsnittet {} pct. afviger fra det officielle {} pct. for {} {}',
                  da_number(s.national_rate_pct), array_to_string(list_transform(o.rates, r -> da_number(r)), ' / '),
                  da_scope(s.scope), da_period(s.period)) AS message
    FROM core_statistics AS s
    JOIN official AS o USING (period, scope)
    WHERE s.paragraph_key IS NULL
      AND s.national_rate_pct IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM reference_national_rates AS r
          WHERE r.period = s.period AND r.scope = s.scope AND abs(r.national_rate_pct - s.national_rate_pct) < 0.05
      )
),
comparable AS (
    SELECT * FROM core_statistics AS s
    WHERE municipality IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM findings AS f WHERE f.stat_id = s.stat_id AND f.severity = 'quarantine')
),
cross_document AS (
    SELECT a.document, a.stat_id,
           'same_figure_across_documents' AS code,
           format('{} {} {} er oplyst med andre tal i {}', a.municipality, da_scope(a.scope), da_period(a.period),
                  b.document) AS message
    FROM comparable AS a
    JOIN comparable AS b
      ON a.municipality = b.municipality AND a.period = b.period AND a.scope = b.scope
     AND a.paragraph_key IS NOT DISTINCT FROM b.paragraph_key AND a.document <> b.document
    WHERE (a.decided <> b.decided OR a.stadfaestet <> b.stadfaestet OR a.hjemvist <> b.hjemvist
           OR a.aendret <> b.aendret OR a.afvist <> b.afvist OR a.reversed <> b.reversed
           OR abs(a.reported_rate_pct - b.reported_rate_pct) >= 0.05)
)
SELECT document, stat_id, code, 'warning' AS severity, message FROM national_mismatch
UNION ALL
SELECT document, stat_id, code, 'warning' AS severity, message FROM cross_document;

-- All findings, stored and computed. The SQL checks are recomputed on every read, so they carry no run.
CREATE OR REPLACE VIEW all_findings AS
SELECT document, stat_id, code, severity, message, source, position, run_id, checked_at FROM findings
UNION ALL
SELECT document, stat_id, code, severity, message, 'sql' AS source, 0 AS position, NULL AS run_id,
       NULL::TIMESTAMP AS checked_at
FROM sql_findings;

-- Every check that failed (the name the README has used since the first version).
CREATE OR REPLACE VIEW validation_results AS
SELECT run_id, code AS check_name, severity, stat_id, message, checked_at, document, source
FROM all_findings;

CREATE OR REPLACE VIEW appeal_stats AS
WITH distinct_messages AS (  -- the same message from two checks (a range in the row checks and the suite) once
    SELECT stat_id, message, bool_or(severity = 'quarantine') AS quarantines,
           min(CASE source WHEN 'row' THEN 0 WHEN 'expectation' THEN 1 ELSE 2 END * 1000 + position) AS ordinal
    FROM all_findings
    GROUP BY stat_id, message
),
verdicts AS (
    SELECT stat_id, bool_or(quarantines) AS quarantined,
           string_agg(message, '; ' ORDER BY ordinal, message) AS messages
    FROM distinct_messages
    GROUP BY stat_id
)
SELECT s.stat_id, s.document, s.document_sha256, s.municipality, s.committee, s.meeting_date,
       s.agenda_item, s.period, s.year, s.scope, s.area_label, s.paragraphs, s.paragraph_key,
       s.received, s.decided, s.stadfaestet, s.hjemvist, s.aendret, s.afvist, s.reversed,
       s.stadfaestet_pct, s.hjemvist_pct, s.aendret_pct, s.reported_rate_pct, s.computed_rate_pct,
       s.national_rate_pct,
       CASE WHEN v.quarantined THEN 'quarantined' WHEN v.stat_id IS NOT NULL THEN 'warning' ELSE 'valid' END
           AS status,
       coalesce(v.messages, '') AS messages,
       s.page, s.char_start, s.char_end, s.quote
FROM core_statistics AS s
LEFT JOIN verdicts AS v USING (stat_id);
