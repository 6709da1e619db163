-- 004_database_status_class: database attempts in the connection log.
--
-- A database attempt (kind 'database', package backend/dbcheck) has no HTTP
-- status. The generated status_class called every row without one 'error';
-- a database attempt that succeeded is now 'ok' instead. A failed one still
-- has an error_class, so it stays 'error'; HTTP exchanges keep their classes.
--
-- A virtual generated column cannot be altered in place: it is dropped (with
-- its index) and added again with the new expression. Nothing is stored for
-- it, so no row is rewritten.

DROP INDEX exchanges_by_status_class;
ALTER TABLE exchanges DROP COLUMN status_class;
ALTER TABLE exchanges ADD COLUMN status_class TEXT GENERATED ALWAYS AS (
    CASE WHEN error_class <> '' THEN 'error'
         WHEN status <= 0 THEN (CASE WHEN kind = 'database' THEN 'ok' ELSE 'error' END)
         ELSE (status / 100) || 'xx' END) VIRTUAL;
CREATE INDEX exchanges_by_status_class ON exchanges (status_class, started_at, id);
