-- A run's head may have a hidden ReLU layer before its output layer: then head_kernel and head_bias are
-- the output layer's (units x labels) and these hold the hidden layer's (dim x units, row-major float32).
-- best_epoch is the epoch whose weights early stopping kept. All NULL for runs stored before: a linear
-- head kept at its last epoch.
ALTER TABLE runs ADD COLUMN hidden_units INTEGER CHECK (hidden_units IS NULL OR hidden_units > 0);
ALTER TABLE runs ADD COLUMN hidden_kernel BLOB;
ALTER TABLE runs ADD COLUMN hidden_bias BLOB;
ALTER TABLE runs ADD COLUMN best_epoch INTEGER;
