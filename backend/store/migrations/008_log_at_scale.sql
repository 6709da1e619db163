-- 008_log_at_scale: retention and the log's queries cost the same at any size.
--
-- Retention runs after verifications. It used to sum every run's size and
-- group every run by connection to find what to delete: with 10,000
-- connections that is hundreds of thousands of rows read after each one.
-- Two totals, kept by triggers like exchange_runs, make it a few rows:
-- * exchange_totals, one row: the exchanges and their bytes (what the size
--   cap counts);
-- * exchange_connections, one row per connection: how many runs it has, with
--   an index, so the connections over the run cap are found directly.
--
-- Search, and the status and kind filters, go through a new full-text index,
-- exchanges_search, whose first column, scope, holds tokens for the
-- exchange's workspace, connection, kind and status class ("0xw" + the hex
-- of the workspace id, "0xc…", "0xk…", "0xs2xx"). A search within a
-- workspace, a connection or a status class is then one full-text query: the
-- index intersects the doclists of the scope and of the words, newest first,
-- and stops after a page (connlog/search.go), where the old index could only
-- list every match of a word and leave the rest to a scan of the workspace.
-- Rows are still found by rowid = seq. exchange_marks keeps, per block of 64
-- seqs (seq >> 6; connlog's markShift), the earliest and the latest start in
-- the block (a row per 64 exchanges): seq follows
-- the order exchanges were stored, not the order they started, and these
-- bounds let a walk in seq order start, skip blocks and stop exactly where
-- the list's order (start time, then id) requires.
--
-- The new index is filled for existing rows in the background (connlog's
-- writer, a few hundred rows per transaction, newest first), not here: it
-- takes about 20 s per 100,000 exchanges (this migration itself: 0.6 s). Until then exchange_search_backfill
-- says which rows it lacks (seq < below) and the search asks the old index,
-- exchanges_fts, for those; once done, below is 0 and the old index is
-- emptied and dropped the same way.
--
-- The per-class and per-kind B-tree indexes are dropped: those filters now go
-- through the scope tokens (each costs a few bytes per exchange in the
-- full-text index instead of about 80 in a B-tree).

CREATE TABLE exchange_totals (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    exchanges INTEGER NOT NULL DEFAULT 0,
    bytes     INTEGER NOT NULL DEFAULT 0
);
-- From the run totals (a row per run) rather than every exchange's row.
INSERT INTO exchange_totals (id, exchanges, bytes)
SELECT 1, coalesce(sum(exchanges), 0), coalesce(sum(bytes), 0) FROM exchange_runs;

CREATE TRIGGER exchanges_totals_after_insert AFTER INSERT ON exchanges BEGIN
    UPDATE exchange_totals SET exchanges = exchanges + 1, bytes = bytes + new.size_bytes;
END;

CREATE TRIGGER exchanges_totals_after_delete AFTER DELETE ON exchanges BEGIN
    UPDATE exchange_totals SET exchanges = exchanges - 1, bytes = bytes - old.size_bytes;
END;

CREATE TABLE exchange_connections (
    connection_id TEXT PRIMARY KEY NOT NULL,
    runs          INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO exchange_connections (connection_id, runs)
SELECT connection_id, count(*) FROM exchange_runs GROUP BY connection_id;
CREATE INDEX exchange_connections_by_runs ON exchange_connections (runs);

-- exchange_runs gains and loses rows only through the triggers of migration
-- 003 (a run's first exchange stored, its last one deleted).
CREATE TRIGGER exchange_runs_after_insert AFTER INSERT ON exchange_runs BEGIN
    INSERT INTO exchange_connections (connection_id, runs) VALUES (new.connection_id, 1)
    ON CONFLICT (connection_id) DO UPDATE SET runs = runs + 1;
END;

CREATE TRIGGER exchange_runs_after_delete AFTER DELETE ON exchange_runs BEGIN
    UPDATE exchange_connections SET runs = runs - 1 WHERE connection_id = old.connection_id;
    DELETE FROM exchange_connections WHERE connection_id = old.connection_id AND runs <= 0;
END;

CREATE VIRTUAL TABLE exchanges_search USING fts5(
    scope, url, request_headers, request_body, response_headers, response_body,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO exchanges_search (exchanges_search, rank) VALUES ('secure-delete', 1);

-- The index's terms one occurrence at a time, in term order: a search word
-- is a prefix, and looking its terms up here lets the query name them
-- instead of asking FTS5 for a prefix (which merges every matching doclist
-- first: 100 ms for a word in every exchange of a million).
CREATE VIRTUAL TABLE exchanges_search_terms USING fts5vocab(exchanges_search, 'instance');

CREATE TABLE exchange_search_backfill (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    below INTEGER NOT NULL
);
INSERT INTO exchange_search_backfill (id, below) SELECT 1, coalesce(max(seq), 0) + 1 FROM exchanges;

CREATE TABLE exchange_marks (
    block       INTEGER PRIMARY KEY,
    min_started TEXT NOT NULL,
    max_started TEXT NOT NULL
);
INSERT INTO exchange_marks (block, min_started, max_started)
SELECT seq >> 6, min(started_at), max(started_at) FROM exchanges GROUP BY seq >> 6;

DROP TRIGGER exchanges_after_insert;
DROP TRIGGER exchanges_after_delete;

-- What the new index holds for an exchange: the same text as 003's trigger
-- gave the old one, and the scope. Binary bodies are hex previews: not worth
-- indexing. The triggers and the backfill (connlog/search.go) all index
-- through this view.
CREATE VIEW exchange_search_rows (seq, scope, url, request_headers, request_body, response_headers, response_body) AS
SELECT seq,
    '0xw' || hex(workspace_id) || ' 0xc' || hex(connection_id) || ' 0xk' || hex(kind) || ' 0xs' || status_class,
    url,
    (SELECT group_concat(json_extract(h.value, '$.name') || ': ' || json_extract(h.value, '$.value'), char(10))
       FROM json_each(detail_json, '$.requestHeaders') AS h),
    CASE WHEN json_extract(detail_json, '$.requestBinary') THEN '' ELSE json_extract(detail_json, '$.requestBody') END,
    (SELECT group_concat(json_extract(h.value, '$.name') || ': ' || json_extract(h.value, '$.value'), char(10))
       FROM json_each(detail_json, '$.responseHeaders') AS h),
    CASE WHEN json_extract(detail_json, '$.responseBinary') THEN '' ELSE json_extract(detail_json, '$.responseBody') END
FROM exchanges;

-- As in 003, with the new index and the marks.
CREATE TRIGGER exchanges_after_insert AFTER INSERT ON exchanges BEGIN
    INSERT INTO exchanges_search (rowid, scope, url, request_headers, request_body, response_headers, response_body)
    SELECT * FROM exchange_search_rows WHERE seq = new.seq;
    INSERT INTO exchange_runs (connection_id, run_id, workspace_id, first_started, last_started, exchanges, bytes)
    VALUES (new.connection_id, new.run_id, new.workspace_id, new.started_at, new.started_at, 1, new.size_bytes)
    ON CONFLICT (connection_id, run_id) DO UPDATE SET
        first_started = min(first_started, excluded.first_started),
        last_started  = max(last_started, excluded.last_started),
        exchanges     = exchanges + 1,
        bytes         = bytes + excluded.bytes;
    INSERT INTO exchange_marks (block, min_started, max_started)
    VALUES (new.seq >> 6, new.started_at, new.started_at)
    ON CONFLICT (block) DO UPDATE SET
        min_started = min(min_started, excluded.min_started),
        max_started = max(max_started, excluded.max_started);
END;

-- A connection or a workspace's contents moved (store.MoveConnection, a
-- workspace deleted after moving what it holds): the scope follows. Rows the
-- backfill has not reached yet get the new scope when it does.
CREATE TRIGGER exchanges_after_workspace_change AFTER UPDATE OF workspace_id ON exchanges
WHEN old.workspace_id IS NOT new.workspace_id AND new.seq >= (SELECT below FROM exchange_search_backfill)
BEGIN
    DELETE FROM exchanges_search WHERE rowid = new.seq;
    INSERT INTO exchanges_search (rowid, scope, url, request_headers, request_body, response_headers, response_body)
    SELECT * FROM exchange_search_rows WHERE seq = new.seq;
END;

CREATE TRIGGER exchanges_after_delete AFTER DELETE ON exchanges BEGIN
    DELETE FROM exchanges_search WHERE rowid = old.seq;
    UPDATE exchange_runs SET exchanges = exchanges - 1, bytes = bytes - old.size_bytes
     WHERE connection_id = old.connection_id AND run_id = old.run_id;
    DELETE FROM exchange_runs
     WHERE connection_id = old.connection_id AND run_id = old.run_id AND exchanges <= 0;
END;

-- Until the backfill is done: what retention deletes leaves the old index
-- too. The backfill drops this trigger when it drops the old index.
CREATE TRIGGER exchanges_after_delete_old_search AFTER DELETE ON exchanges BEGIN
    DELETE FROM exchanges_fts WHERE rowid = old.seq;
END;

DROP INDEX exchanges_by_status_class;
DROP INDEX exchanges_by_kind;
