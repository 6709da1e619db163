-- The search index forgets a deleted exchange's terms at once instead of
-- keeping them under a delete marker until a later merge, so text retention
-- removed is not left in the index's pages (FTS5's secure-delete, SQLite
-- 3.44+). The table's own pages are wiped by PRAGMA secure_delete (store.dsn).
INSERT INTO exchanges_fts (exchanges_fts, rank) VALUES ('secure-delete', 1);
