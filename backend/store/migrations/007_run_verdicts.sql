-- 007_run_verdicts: each verification run keeps the verdict it ended with.
--
-- A run's exchanges say what was sent and answered; the verdict says what
-- Patchbay made of them (Connected, Disconnected, Limited, Unreachable,
-- Unverified), with its diagnosis code and summary (scrubbed of secrets
-- before it is stored). HAR exports and the log carry it, so a 403 reads as
-- Limited there too. Runs recorded before this migration have none ('').
-- The triggers that keep exchange_runs leave these columns alone.
ALTER TABLE exchange_runs ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
ALTER TABLE exchange_runs ADD COLUMN verdict_code TEXT NOT NULL DEFAULT '';
ALTER TABLE exchange_runs ADD COLUMN verdict_summary TEXT NOT NULL DEFAULT '';
