-- Feature cache: one row per (image content, backbone, preprocessing version), so a renamed or
-- re-imported image reuses its features and a retrain after label edits costs only the head.
CREATE TABLE features (
  hash TEXT NOT NULL,
  backbone TEXT NOT NULL,
  prep INTEGER NOT NULL,
  dim INTEGER NOT NULL,
  data BLOB NOT NULL, -- little-endian Float32 x dim
  PRIMARY KEY (hash, backbone, prep)
) WITHOUT ROWID;

-- A trained run carries everything needed to reproduce its predictions: label order, the
-- standardisation statistics, the head weights, thresholds and groups.
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  config TEXT NOT NULL, -- JSON: training settings
  backbone TEXT NOT NULL, -- JSON: backbone id, source, layers, input size, normalisation
  backbone_key TEXT NOT NULL, -- feature cache key
  prep INTEGER NOT NULL,
  labels TEXT NOT NULL, -- JSON array, the head's output order
  label_snapshot TEXT NOT NULL, -- sha256 of the labels the run was trained on
  history TEXT NOT NULL, -- JSON: per-epoch {epoch, loss, valLoss, valExactMatch, seconds}
  metrics TEXT NOT NULL, -- JSON: validation metrics
  thresholds TEXT, -- JSON array, one per label
  groups TEXT, -- JSON array of label-name arrays
  backend TEXT NOT NULL,
  dim INTEGER NOT NULL,
  std_mean BLOB NOT NULL, -- Float32 x dim, from training rows only
  std_scale BLOB NOT NULL, -- Float32 x dim, 1 / std
  head_kernel BLOB NOT NULL, -- Float32 x dim x labels (row-major)
  head_bias BLOB NOT NULL, -- Float32 x labels
  timings TEXT NOT NULL -- JSON: extractSeconds, trainSeconds
);

-- Probabilities of a run per image; out_of_fold = 1 when a training row was scored by a model
-- that did not see it.
CREATE TABLE run_predictions (
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  image_id INTEGER NOT NULL,
  probs BLOB NOT NULL, -- Float32 x labels
  out_of_fold INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (run_id, image_id)
) WITHOUT ROWID;
