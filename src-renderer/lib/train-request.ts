import type { EngineName, PresetChoice, RunSummary, TrainConfig, TrainSettings } from '../../src-preload/contract.ts'

/** The Train panel's settings form. batchSize null = chosen automatically from the number of training rows. */
export interface SettingsForm {
  /** the preset trained with; null = one backbone alone (`backbone`) */
  preset: string | null
  backbone: string
  epochs: number
  learningRate: number
  batchSize: number | null
  seed: number
  l2: number
  classWeighting: boolean
  /** units of the head's hidden layer; 0 = a linear head */
  hiddenUnits: number
  dropout: number
  earlyStopping: boolean
  patience: number
  /** the feature extraction engine; null = automatic (the fastest that works here) */
  engine: EngineName | null
}

/** An empty or non-numeric field, named as the form names it; the service checks the ranges. */
export function formProblem(form: SettingsForm): string | null {
  const fields: Array<[string, unknown]> = [['Epochs', form.epochs], ['Learning rate', form.learningRate], ['Seed', form.seed], ['L2 penalty', form.l2],
    ['Hidden units', form.hiddenUnits], ['Dropout', form.dropout], ['Patience', form.patience]]
  for (const [name, value] of fields) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return `${name} must be a number`
  }
  return null
}

/** The train:start request for a form: an automatic batch size or engine is left out. */
export function formRequest(form: SettingsForm): TrainSettings {
  const input: TrainSettings = {
    ...(form.preset !== null ? { preset: form.preset } : { backbone: form.backbone }),
    epochs: form.epochs,
    learningRate: form.learningRate,
    seed: form.seed,
    l2: form.l2,
    classWeighting: form.classWeighting,
    hiddenUnits: form.hiddenUnits,
    dropout: form.dropout,
    earlyStopping: form.earlyStopping,
    patience: form.patience,
  }
  if (form.batchSize !== null) input.batchSize = form.batchSize
  if (form.engine !== null) input.engine = form.engine
  return input
}

/**
 * The train:start request that trains a stored run again. A run does not record its engine (where the
 * features were extracted is this machine's matter), so the engine is given.
 */
export function runRequest(run: RunSummary, engine: EngineName | null): TrainSettings {
  const c = run.config
  return formRequest({
    preset: run.preset,
    backbone: run.backbone,
    epochs: c.epochs,
    learningRate: c.learningRate,
    batchSize: c.batchSize > 0 ? c.batchSize : null,
    seed: c.seed,
    l2: c.l2,
    classWeighting: c.classWeighting,
    hiddenUnits: c.hiddenUnits,
    dropout: c.dropout,
    earlyStopping: c.earlyStopping,
    patience: c.patience,
    engine,
  })
}

/** The head settings a form shows for a preset: the engine's defaults under the preset's own. */
export function presetHead(defaults: TrainConfig, preset: PresetChoice | undefined): Pick<SettingsForm, 'epochs' | 'learningRate' | 'l2' | 'hiddenUnits' | 'dropout' | 'earlyStopping' | 'patience'> {
  const h = preset?.head ?? {}
  return {
    epochs: h.epochs ?? defaults.epochs,
    learningRate: h.learningRate ?? defaults.learningRate,
    l2: h.l2 ?? defaults.l2,
    hiddenUnits: h.hiddenUnits ?? defaults.hiddenUnits,
    dropout: h.dropout ?? defaults.dropout,
    earlyStopping: h.earlyStopping ?? defaults.earlyStopping,
    patience: h.patience ?? defaults.patience,
  }
}
