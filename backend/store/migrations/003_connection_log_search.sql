-- 003_connection_log_search: search, filters and retention for the connection log.
--
-- Needs SQLite's FTS5 (mattn/go-sqlite3 built with -tags sqlite_fts5; store.Open
-- says so when it is missing).
--
-- The exchanges table is rebuilt to gain:
-- * seq, an INTEGER PRIMARY KEY: the full-text index refers to rows by rowid,
--   and only an explicit INTEGER PRIMARY KEY keeps a rowid stable across VACUUM.
-- * the list columns the viewer shows without parsing detail_json
--   (status_text, a short error, response_body_size) and status_class, derived
--   from status and error_class by SQLite itself so it can never disagree.
-- * size_bytes, the length of detail_json, which the size cap counts.
--
-- Exchanges are written once and never updated: only INSERT and DELETE are
-- kept in step by the triggers below.

CREATE TABLE exchanges_new (
    seq                INTEGER PRIMARY KEY,
    id                 TEXT NOT NULL UNIQUE,
    run_id             TEXT NOT NULL,
    connection_id      TEXT NOT NULL,
    workspace_id       TEXT NOT NULL DEFAULT '',
    kind               TEXT NOT NULL DEFAULT '',
    -- UTC, RFC 3339 with nine fraction digits, so text order is time order.
    started_at         TEXT NOT NULL,
    recorded_at        TEXT NOT NULL,
    method             TEXT NOT NULL DEFAULT '',
    url                TEXT NOT NULL DEFAULT '',
    -- 0 when no response arrived (see error_class).
    status             INTEGER NOT NULL DEFAULT 0,
    status_text        TEXT NOT NULL DEFAULT '',
    error_class        TEXT NOT NULL DEFAULT '',
    -- The error message cut to 300 characters, for the list; detail_json has it whole.
    error              TEXT NOT NULL DEFAULT '',
    total_ms           REAL NOT NULL DEFAULT 0,
    response_body_size INTEGER NOT NULL DEFAULT 0,
    size_bytes         INTEGER NOT NULL DEFAULT 0,
    detail_json        TEXT NOT NULL CHECK (json_valid(detail_json)),
    -- '1xx'..'5xx', or 'error' when no usable response arrived (the filter's
    -- "network error"). A failure while reading the body counts as an error.
    status_class       TEXT GENERATED ALWAYS AS (
        CASE WHEN error_class <> '' OR status <= 0 THEN 'error' ELSE (status / 100) || 'xx' END) VIRTUAL
);

-- Full-text search over URL, headers and bodies. Contentless: the text already
-- lives in detail_json, so the index stores only its terms (about a third of
-- the text's size) and results are joined back by rowid = seq.
-- contentless_delete lets a row be removed by rowid alone.
CREATE VIRTUAL TABLE exchanges_fts USING fts5(
    url, request_headers, request_body, response_headers, response_body,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

-- One row per verification run, kept by the triggers, so retention works on a
-- few hundred runs rather than on every exchange.
CREATE TABLE exchange_runs (
    connection_id TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    workspace_id  TEXT NOT NULL DEFAULT '',
    first_started TEXT NOT NULL,
    last_started  TEXT NOT NULL,
    exchanges     INTEGER NOT NULL DEFAULT 0,
    bytes         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (connection_id, run_id)
) WITHOUT ROWID;

-- The triggers are created on the new table before the old rows are copied,
-- so the copy builds the index and the run totals with the very statements
-- every later insert uses. Binary bodies are hex previews: not worth indexing.
CREATE TRIGGER exchanges_after_insert AFTER INSERT ON exchanges_new BEGIN
    INSERT INTO exchanges_fts (rowid, url, request_headers, request_body, response_headers, response_body)
    VALUES (
        new.seq,
        new.url,
        (SELECT group_concat(json_extract(h.value, '$.name') || ': ' || json_extract(h.value, '$.value'), char(10))
           FROM json_each(new.detail_json, '$.requestHeaders') AS h),
        CASE WHEN json_extract(new.detail_json, '$.requestBinary') THEN ''
             ELSE json_extract(new.detail_json, '$.requestBody') END,
        (SELECT group_concat(json_extract(h.value, '$.name') || ': ' || json_extract(h.value, '$.value'), char(10))
           FROM json_each(new.detail_json, '$.responseHeaders') AS h),
        CASE WHEN json_extract(new.detail_json, '$.responseBinary') THEN ''
             ELSE json_extract(new.detail_json, '$.responseBody') END
    );
    INSERT INTO exchange_runs (connection_id, run_id, workspace_id, first_started, last_started, exchanges, bytes)
    VALUES (new.connection_id, new.run_id, new.workspace_id, new.started_at, new.started_at, 1, new.size_bytes)
    ON CONFLICT (connection_id, run_id) DO UPDATE SET
        first_started = min(first_started, excluded.first_started),
        last_started  = max(last_started, excluded.last_started),
        exchanges     = exchanges + 1,
        bytes         = bytes + excluded.bytes;
END;

CREATE TRIGGER exchanges_after_delete AFTER DELETE ON exchanges_new BEGIN
    DELETE FROM exchanges_fts WHERE rowid = old.seq;
    UPDATE exchange_runs SET exchanges = exchanges - 1, bytes = bytes - old.size_bytes
     WHERE connection_id = old.connection_id AND run_id = old.run_id;
    DELETE FROM exchange_runs
     WHERE connection_id = old.connection_id AND run_id = old.run_id AND exchanges <= 0;
END;

-- Existing rows, oldest first so seq follows time. Rows written by schema 2
-- may lack any field of detail_json: every extraction falls back to empty.
INSERT INTO exchanges_new (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
    method, url, status, status_text, error_class, error, total_ms, response_body_size, size_bytes, detail_json)
SELECT id, run_id, connection_id, workspace_id, kind, started_at, recorded_at, method, url, status,
    CASE WHEN json_type(detail_json, '$.statusText') = 'text' THEN json_extract(detail_json, '$.statusText') ELSE '' END,
    error_class,
    CASE WHEN json_type(detail_json, '$.error') = 'text' THEN substr(json_extract(detail_json, '$.error'), 1, 300) ELSE '' END,
    total_ms,
    CASE WHEN json_type(detail_json, '$.responseBodySize') IN ('integer', 'real')
         THEN CAST(json_extract(detail_json, '$.responseBodySize') AS INTEGER) ELSE 0 END,
    length(CAST(detail_json AS BLOB)),
    detail_json
FROM exchanges
ORDER BY started_at, id;

DROP TABLE exchanges;
ALTER TABLE exchanges_new RENAME TO exchanges;

-- The list, newest first, and its keyset pagination on (started_at, id).
CREATE INDEX exchanges_by_started ON exchanges (started_at, id);
-- Each filter of the viewer, in the list's order, so a filtered first page
-- reads only its own rows.
CREATE INDEX exchanges_by_workspace ON exchanges (workspace_id, started_at, id);
CREATE INDEX exchanges_by_connection ON exchanges (connection_id, started_at, id);
CREATE INDEX exchanges_by_run ON exchanges (run_id, started_at, id);
CREATE INDEX exchanges_by_status_class ON exchanges (status_class, started_at, id);
CREATE INDEX exchanges_by_kind ON exchanges (kind, started_at, id);
-- Retention: the oldest runs first.
CREATE INDEX exchange_runs_by_last ON exchange_runs (last_started);
