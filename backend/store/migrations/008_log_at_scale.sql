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

CREATE TABLE exchange_totals (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    exchanges INTEGER NOT NULL DEFAULT 0,
    bytes     INTEGER NOT NULL DEFAULT 0
);
INSERT INTO exchange_totals (id, exchanges, bytes)
SELECT 1, count(*), coalesce(sum(size_bytes), 0) FROM exchanges;

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
