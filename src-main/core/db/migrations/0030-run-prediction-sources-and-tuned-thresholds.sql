-- How each stored probability was obtained ('oof': a training row scored by a k-fold head that never
-- saw it; 'val', 'test': scored by the run's head; 'unlabelled': a row with every label empty), and the
-- thresholds last tuned on a run's validation rows (the current ones stay in runs.thresholds).
ALTER TABLE run_predictions ADD COLUMN source TEXT NOT NULL DEFAULT 'val' CHECK (source IN ('oof', 'val', 'test', 'unlabelled'));
ALTER TABLE runs ADD COLUMN tuned_thresholds TEXT; -- JSON array, one per label, or NULL
