-- Runs and reviews name who made them, as edit steps do (0100): the user who pressed Train, reviewed a
-- suspect label or confirmed an image of the uncertainty queue. NULL for those recorded before.
ALTER TABLE runs ADD COLUMN author TEXT;
ALTER TABLE label_reviews ADD COLUMN author TEXT;
ALTER TABLE uncertain_confirmations ADD COLUMN author TEXT;
