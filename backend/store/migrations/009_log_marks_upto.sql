-- exchange_marks learns, per block of 64 seqs, the latest start of any
-- exchange up to and including that block (upto_max). A walk of the log in
-- seq order (connlog/search.go) can then stop as soon as no block below the
-- one it is reading can hold a row for the page, instead of reading on
-- through blocks that only might.
--
-- Deleting exchanges never lowers upto_max: it stays an upper bound, which
-- is all the walk needs, and retention drops whole blocks below the oldest
-- row (connlog/retention.go).

ALTER TABLE exchange_marks ADD COLUMN upto_max TEXT NOT NULL DEFAULT '';

UPDATE exchange_marks SET upto_max = w.upto
FROM (SELECT block, max(max_started) OVER (ORDER BY block ROWS UNBOUNDED PRECEDING) AS upto
      FROM exchange_marks) AS w
WHERE exchange_marks.block = w.block;

DROP TRIGGER exchanges_after_insert;

-- As in 008, with upto_max. New rows land in the newest block (seq is the
-- largest plus one), so no later block's upto_max needs to change.
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
    INSERT INTO exchange_marks (block, min_started, max_started, upto_max)
    VALUES (new.seq >> 6, new.started_at, new.started_at, max(new.started_at, coalesce(
        (SELECT upto_max FROM exchange_marks WHERE block < new.seq >> 6 ORDER BY block DESC LIMIT 1), '')))
    ON CONFLICT (block) DO UPDATE SET
        min_started = min(min_started, excluded.min_started),
        max_started = max(max_started, excluded.max_started),
        upto_max    = max(upto_max, excluded.upto_max);
END;
