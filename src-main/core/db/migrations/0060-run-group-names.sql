-- The names of the label groups a run was trained with, by position ('' for none), beside its groups:
-- a JSON array of strings. Names are for display; decoding and metrics read the groups only. NULL for
-- runs stored before groups had names, and for runs without groups.
ALTER TABLE runs ADD COLUMN group_names TEXT;
