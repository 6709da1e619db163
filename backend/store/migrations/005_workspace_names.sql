-- 005_workspace_names: workspaces a person creates, renames and deletes.
--
-- Their names are unique whatever their case, as a connection's name is
-- within its connector: a switcher listing "Client A" and "client a" helps
-- nobody. Nothing created workspaces before this version, but a database
-- holding two such names would refuse the index and Patchbay would not
-- start: the later of each pair gets its id appended first.

UPDATE workspaces SET name = name || ' (' || id || ')'
WHERE rowid NOT IN (SELECT min(rowid) FROM workspaces GROUP BY name COLLATE NOCASE);

CREATE UNIQUE INDEX workspaces_by_name ON workspaces (name COLLATE NOCASE);
