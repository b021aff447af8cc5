-- Project store: the CSV files a project was imported from, kept so that export can
-- write each file back byte for byte, plus labels, images, per-cell values and the edit log.

CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  position INTEGER NOT NULL UNIQUE,        -- order the CSVs were given in
  name TEXT NOT NULL UNIQUE,               -- file name, e.g. train.csv
  path TEXT NOT NULL,                      -- absolute path at import (default export target)
  images_dir TEXT NOT NULL,                -- folder the image paths resolve against
  bom INTEGER NOT NULL CHECK (bom IN (0, 1)),
  delimiter TEXT NOT NULL,
  line_ending TEXT NOT NULL,               -- dominant record terminator: LF, CRLF or CR
  header_raw TEXT NOT NULL,                -- header record exactly as read, terminator included
  tail TEXT NOT NULL,                      -- text after the last record (blank lines), usually empty
  columns INTEGER NOT NULL,
  index_column INTEGER,                    -- column of the pandas index, NULL when absent
  image_column INTEGER NOT NULL,
  label_columns TEXT NOT NULL,             -- JSON: column number of each label, in label position order
  path_style TEXT NOT NULL,                -- '/', '\', 'mixed' or 'none', and whether paths start with ./
  value_style TEXT NOT NULL,               -- JSON {"0": "0.0", "1": "1.0"}: spelling used for new values
  written_hash TEXT NOT NULL,              -- sha256 of the file as last read or written by us, to
                                           -- notice outside changes before an export overwrites it
  imported_at TEXT NOT NULL
);

CREATE TABLE labels (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  position INTEGER NOT NULL UNIQUE
);

CREATE TABLE images (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  row_number INTEGER NOT NULL,             -- 0-based record order within the source
  line INTEGER NOT NULL,                   -- 1-based line where the record starts
  index_raw TEXT,                          -- index cell as written
  path TEXT NOT NULL,                      -- image cell value as written (unquoted)
  rel TEXT NOT NULL,                       -- normalised: '/' separators, no './', resolved against images_dir
  split TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
  status TEXT NOT NULL CHECK (status IN ('ok', 'missing', 'corrupt', 'outside')),
  reason TEXT,
  hash TEXT,                               -- sha256 hex of the file content
  bytes INTEGER,
  raw TEXT NOT NULL,                       -- record text as read (preceding blank lines and terminator included)
  UNIQUE (source_id, row_number)
);
CREATE INDEX images_path ON images(path);
CREATE INDEX images_rel ON images(rel);
CREATE INDEX images_hash ON images(hash);
CREATE INDEX images_split ON images(split);

-- value = current, orig = as imported; the cell's span in images.raw lets export rewrite only that cell.
CREATE TABLE image_labels (
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  value INTEGER CHECK (value IN (0, 1)),
  orig INTEGER CHECK (orig IN (0, 1)),
  cell_start INTEGER NOT NULL,
  cell_end INTEGER NOT NULL,
  PRIMARY KEY (image_id, label_id)
) WITHOUT ROWID;
CREATE INDEX image_labels_edited ON image_labels(image_id) WHERE value IS NOT orig;

CREATE TABLE edit_groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,    -- never reused, so a group id stays meaningful
  at TEXT NOT NULL
);

CREATE TABLE edit_log (
  id INTEGER PRIMARY KEY,
  group_id INTEGER NOT NULL REFERENCES edit_groups(id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels(id) ON DELETE CASCADE,
  old INTEGER CHECK (old IN (0, 1)),
  new INTEGER CHECK (new IN (0, 1)),
  at TEXT NOT NULL,
  undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
);
CREATE INDEX edit_log_group ON edit_log(group_id);
CREATE INDEX edit_log_undone ON edit_log(undone, group_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  json TEXT NOT NULL
);
