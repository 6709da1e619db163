-- 001_init: the first Patchbay schema.
--
-- Conventions every later migration should keep:
-- * Times are TEXT in UTC, RFC 3339 with exactly nine fraction digits
--   ("2006-01-02T15:04:05.000000000Z"), so text order is time order.
-- * Optional text is NOT NULL DEFAULT '' rather than NULL, so Go scans plain strings.
-- * Open value sets (status, environment, auth type) are checked in Go, not with
--   CHECK constraints: SQLite cannot alter a CHECK without rebuilding the table.
-- * Secrets never live here. Connections hold only the keychain account name
--   (secret_ref) and the names of secret fields that have a value.

CREATE TABLE workspaces (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The default workspace every installation starts with. Its id is fixed so
-- code and tests can name it (store.DefaultWorkspaceID).
INSERT INTO workspaces (id, name, created_at)
VALUES ('personal', 'Personal', strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000000Z');

CREATE TABLE connections (
    id                 TEXT PRIMARY KEY NOT NULL,
    workspace_id       TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    connector_id       TEXT NOT NULL,
    -- NOCASE so "Production" and "production" cannot both appear in one dropdown.
    name               TEXT NOT NULL COLLATE NOCASE,
    -- NOCASE too: "Payments · Sandbox" and "Payments · Production" may both
    -- exist, "Payments · sandbox" beside "Payments · Sandbox" may not.
    environment        TEXT NOT NULL DEFAULT '' COLLATE NOCASE,
    auth_type          TEXT NOT NULL DEFAULT '',
    base_url           TEXT NOT NULL DEFAULT '',
    settings_json      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings_json)),
    secret_ref         TEXT NOT NULL DEFAULT '',
    secret_fields_json TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(secret_fields_json)),
    timeout_seconds    INTEGER NOT NULL DEFAULT 0 CHECK (timeout_seconds >= 0),
    status             TEXT NOT NULL DEFAULT 'unverified',
    diagnosis          TEXT NOT NULL DEFAULT '',
    identity           TEXT NOT NULL DEFAULT '',
    checked_at         TEXT,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    -- Its index also serves "connections of a workspace ordered by connector, name".
    UNIQUE (workspace_id, connector_id, name, environment)
);

-- The start-up orphan sweep looks connections up by keychain account.
CREATE INDEX connections_by_secret_ref ON connections (secret_ref) WHERE secret_ref <> '';

CREATE TABLE integrations (
    id           TEXT PRIMARY KEY NOT NULL,
    workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    name         TEXT NOT NULL COLLATE NOCASE,
    description  TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (workspace_id, name)
);

-- One row per slot of an integration. Deleting a connection empties the slots
-- of inactive integrations (SET NULL); the store refuses the delete in Go, with
-- the integrations' names, while an active integration uses it.
CREATE TABLE integration_slots (
    integration_id TEXT NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    role           TEXT NOT NULL CHECK (role IN ('source', 'destination')),
    connector_id   TEXT NOT NULL,
    connection_id  TEXT REFERENCES connections (id) ON DELETE SET NULL,
    PRIMARY KEY (integration_id, role)
);

-- Needed by the foreign key actions and by the in-use check on delete.
CREATE INDEX integration_slots_by_connection ON integration_slots (connection_id);

-- Journal of keychain account names Patchbay has written (names only, never
-- values). Deliberately not a foreign key: an entry must outlive its connection
-- so a start-up sweep can find keychain entries left behind by a crash.
CREATE TABLE secret_refs (
    ref           TEXT PRIMARY KEY NOT NULL,
    connection_id TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);

CREATE TABLE app_settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
