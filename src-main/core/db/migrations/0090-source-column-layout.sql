-- The label set can change after import (labels added, removed, moved). Each source CSV keeps its records
-- as read; `layout` says which columns an export writes, in order: a JSON array whose items are a column
-- number of the file as read, or {"label": id} for a label added since (its cells come from image_labels).
-- NULL: the columns as read. Header cells of renamed labels are written from labels.name.
ALTER TABLE sources ADD COLUMN layout TEXT;
