-- 002_connection_log: the connection log (package backend/connlog).
--
-- One row per recorded exchange, already redacted: secrets never reach this
-- table. The columns are copies of the fields the log viewer filters and sorts
-- on; detail_json holds the whole record (headers, bodies, timings, TLS), so a
-- field added to the record later needs no migration.
--
-- connection_id is deliberately not a foreign key: a connection is tested
-- before it is saved (its draft id has no row yet), and its log must be
-- removable on its own. connlog.Log.DeleteConnection removes it explicitly.

CREATE TABLE exchanges (
    id            TEXT PRIMARY KEY NOT NULL,
    run_id        TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    workspace_id  TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT '',
    -- UTC, RFC 3339 with nine fraction digits, so text order is time order.
    started_at    TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    method        TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    -- 0 when no response arrived (see error_class).
    status        INTEGER NOT NULL DEFAULT 0,
    error_class   TEXT NOT NULL DEFAULT '',
    total_ms      REAL NOT NULL DEFAULT 0,
    detail_json   TEXT NOT NULL CHECK (json_valid(detail_json))
);

-- A connection's exchanges newest first (the editor's last attempt, pruning).
CREATE INDEX exchanges_by_connection ON exchanges (connection_id, started_at);
-- One run's exchanges.
CREATE INDEX exchanges_by_run ON exchanges (run_id);
-- The whole log by time.
CREATE INDEX exchanges_by_started ON exchanges (started_at);
