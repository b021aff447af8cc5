-- As the project file's migration 0110: who trained a run, reviewed a pair or confirmed an image; NULL for
-- those recorded before.
ALTER TABLE runs ADD COLUMN author text;
ALTER TABLE label_reviews ADD COLUMN author text;
ALTER TABLE uncertain_confirmations ADD COLUMN author text;
