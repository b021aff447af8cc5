-- Label-error review memory: one row per (image, label) pair a user reviewed. `value` is the cell as the
-- review left it (the model's view after an accept, the stored value after a keep); while the cell still
-- holds it the pair is not asked again, so undoing an accept brings the pair back. A later review of the
-- same pair replaces the row. Deleting a run keeps the memory (run_id becomes NULL).
CREATE TABLE label_reviews (
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
  value INTEGER NOT NULL CHECK (value IN (0, 1)),
  outcome TEXT NOT NULL CHECK (outcome IN ('fixed', 'kept')),
  run_id INTEGER REFERENCES runs (id) ON DELETE SET NULL,
  probability REAL, -- the run's probability of the label when reviewed
  at TEXT NOT NULL,
  PRIMARY KEY (image_id, label_id)
) WITHOUT ROWID;
CREATE INDEX label_reviews_run ON label_reviews (run_id);

-- Uncertainty queue: images a user looked at and confirmed under a run, with their labels as they were
-- ('0', '1', '-' per label in label order). They leave that run's queue; a newer run asks again.
CREATE TABLE uncertain_confirmations (
  image_id INTEGER NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  labels TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (image_id, run_id)
) WITHOUT ROWID;
