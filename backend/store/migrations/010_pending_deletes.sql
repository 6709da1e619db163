-- A connection deleted from the app can be brought back for a few seconds
-- (Undo in the toast). Its row leaves connections at once, so every list,
-- the overview, integrations and the command line stop seeing it; what makes
-- it whole again stays where it was until the window is over: its keychain
-- entry (never read, never copied), its connection log and its secret_refs
-- journal entry. This table says which connections are in that state.
--
-- The row itself (names, settings, no secrets) is held in the deleting
-- process's memory only: after a crash or a quit nobody can press Undo, and
-- the next start finishes the delete (connections.FinishDeletes): the log,
-- then the keychain entry, then this row and the journal entry together. The
-- orphan sweep leaves a ref listed here alone.
CREATE TABLE pending_deletes (
    connection_id TEXT PRIMARY KEY NOT NULL,
    workspace_id  TEXT NOT NULL DEFAULT '',
    secret_ref    TEXT NOT NULL DEFAULT '',
    deleted_at    TEXT NOT NULL,
    -- When Undo stops being offered; the delete is finished then.
    undo_until    TEXT NOT NULL
);
