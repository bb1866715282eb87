-- ankestat's DuckDB schema. Tables say their layer: raw inputs (documents), core_ facts, reference_ data.
-- The user-facing contract is the view appeal_stats and the tables documents and reported_national_rates.

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
    row_status        VARCHAR NOT NULL,  -- from the checks on the row alone
    row_messages      VARCHAR,
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

CREATE TABLE IF NOT EXISTS validation_results (
    run_id      VARCHAR NOT NULL,
    check_name  VARCHAR NOT NULL,
    severity    VARCHAR NOT NULL,        -- 'quarantine' or 'warning'
    stat_id     VARCHAR,
    message     VARCHAR NOT NULL,
    checked_at  TIMESTAMP NOT NULL
);

-- Checks that need more than one row: the national average against the official one, and the same
-- kommune, period and scope stated differently in two documents (quarantined rows take no part).
CREATE OR REPLACE VIEW sql_findings AS
WITH official AS (
    SELECT period, scope, list(national_rate_pct ORDER BY national_rate_pct) AS rates
    FROM reference_national_rates
    GROUP BY period, scope
),
national_mismatch AS (
    SELECT s.stat_id,
           'national_matches_official' AS check_name,
           format('national average {} % differs from the official {} % for {} {}',
                  s.national_rate_pct, array_to_string(o.rates, ' / '), s.scope, s.period) AS message
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
    SELECT * FROM core_statistics WHERE row_status <> 'quarantined' AND municipality IS NOT NULL
),
cross_document AS (
    SELECT a.stat_id,
           'same_figure_across_documents' AS check_name,
           format('{} {} {} is stated differently in {}', a.municipality, a.scope, a.period, b.document)
               AS message
    FROM comparable AS a
    JOIN comparable AS b
      ON a.municipality = b.municipality AND a.period = b.period AND a.scope = b.scope
     AND a.paragraph_key IS NOT DISTINCT FROM b.paragraph_key AND a.document <> b.document
    WHERE (a.decided <> b.decided OR a.stadfaestet <> b.stadfaestet OR a.hjemvist <> b.hjemvist
           OR a.aendret <> b.aendret OR a.afvist <> b.afvist OR a.reversed <> b.reversed
           OR abs(a.reported_rate_pct - b.reported_rate_pct) >= 0.05)
)
SELECT stat_id, check_name, 'warning' AS severity, message FROM national_mismatch
UNION ALL
SELECT stat_id, check_name, 'warning' AS severity, message FROM cross_document;

CREATE OR REPLACE VIEW appeal_stats AS
WITH sql_messages AS (
    SELECT stat_id, string_agg(message, '; ' ORDER BY message) AS messages
    FROM sql_findings
    GROUP BY stat_id
)
SELECT s.stat_id, s.document, s.document_sha256, s.municipality, s.committee, s.meeting_date,
       s.agenda_item, s.period, s.year, s.scope, s.area_label, s.paragraphs, s.paragraph_key,
       s.received, s.decided, s.stadfaestet, s.hjemvist, s.aendret, s.afvist, s.reversed,
       s.stadfaestet_pct, s.hjemvist_pct, s.aendret_pct, s.reported_rate_pct, s.computed_rate_pct,
       s.national_rate_pct,
       CASE
           WHEN s.row_status = 'quarantined' THEN 'quarantined'
           WHEN s.row_status = 'warning' OR m.stat_id IS NOT NULL THEN 'warning'
           ELSE 'valid'
       END AS status,
       concat_ws('; ', nullif(s.row_messages, ''), m.messages) AS messages,
       s.page, s.char_start, s.char_end, s.quote
FROM core_statistics AS s
LEFT JOIN sql_messages AS m USING (stat_id);
