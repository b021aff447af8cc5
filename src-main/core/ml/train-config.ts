// A request's training settings as the config a run is trained with. Its own module, free of TF.js, so the
// service's process can use it without loading the engine; the app and the CLI both call it.
import type { TrainConfig, TrainSettings } from '../../../src-preload/contract.ts'

/** The config fields the settings give; the ones left out take the engine's defaults. */
export function trainConfigOf(settings: TrainSettings): Partial<TrainConfig> {
  const config: Partial<TrainConfig> = {}
  if (settings.epochs !== undefined) config.epochs = settings.epochs
  if (settings.learningRate !== undefined) config.learningRate = settings.learningRate
  if (settings.batchSize !== undefined) config.batchSize = settings.batchSize
  if (settings.seed !== undefined) config.seed = settings.seed
  if (settings.l2 !== undefined) config.l2 = settings.l2
  if (settings.classWeighting !== undefined) config.classWeighting = settings.classWeighting
  if (settings.hiddenUnits !== undefined) config.hiddenUnits = settings.hiddenUnits
  if (settings.dropout !== undefined) config.dropout = settings.dropout
  if (settings.earlyStopping !== undefined) config.earlyStopping = settings.earlyStopping
  if (settings.patience !== undefined) config.patience = settings.patience
  return config
}

/** What runs stored before the hidden layer and early stopping had: a linear head kept at its last epoch. */
const BEFORE_HIDDEN_LAYER = { hiddenUnits: 0, dropout: 0, earlyStopping: false, patience: 0 } as const

/** A stored run's config, with the fields older runs lack filled in as they trained. */
export function storedTrainConfig(stored: Omit<TrainConfig, keyof typeof BEFORE_HIDDEN_LAYER> & Partial<TrainConfig>): TrainConfig {
  return { ...BEFORE_HIDDEN_LAYER, ...stored }
}
