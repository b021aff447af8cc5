-- Edits that change the dataset's shape (a label added, renamed, removed or moved; images added) are
-- edit groups like cell edits, so undo and redo walk one history. Undo and redo now read the groups:
-- a structural group may log no cell at all. `kind` names the handler that undoes and redoes it,
-- `detail` is the JSON that handler reads; cell edits keep kind 'cells' and no detail.
ALTER TABLE edit_groups ADD COLUMN kind TEXT NOT NULL DEFAULT 'cells';
ALTER TABLE edit_groups ADD COLUMN detail TEXT;
ALTER TABLE edit_groups ADD COLUMN undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1));
UPDATE edit_groups SET undone = coalesce((SELECT max(undone) FROM edit_log WHERE group_id = edit_groups.id), 0);
CREATE INDEX edit_groups_undone ON edit_groups(undone, id);
