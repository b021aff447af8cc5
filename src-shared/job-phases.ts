// Every phase a long job reports, in plain words, in one place: the Train panel, the status bar, the
// Predictions, Health and export views all say a phase the same way. A phase missing here shows as its
// raw name; a unit test checks that every phase the jobs emit is listed.

/** A phase's name as a heading, and what its done/total count. */
export const JOB_PHASES: Readonly<Record<string, { name: string; unit: string }>> = {
  starting: { name: 'Starting', unit: '' },
  'finding images': { name: 'Finding images', unit: 'files' },
  'hashing images': { name: 'Reading images', unit: 'images' },
  'checking images': { name: 'Checking images', unit: 'images' },
  download: { name: 'Downloading the backbone', unit: 'bytes' },
  extract: { name: 'Extracting features', unit: 'images' },
  train: { name: 'Training the head', unit: 'epochs' },
  predict: { name: 'Predicting', unit: 'images' },
  'near-duplicates': { name: 'Finding near-duplicates', unit: 'blocks' },
  'load backbone': { name: 'Loading the backbone', unit: 'steps' },
  write: { name: 'Writing the model', unit: 'steps' },
  check: { name: 'Checking the written model', unit: 'steps' },
  onnx: { name: 'Writing and checking the ONNX file', unit: 'steps' },
  move: { name: 'Moving the folder into place', unit: 'steps' },
  'making thumbnails': { name: 'Making thumbnails', unit: 'images' },
}

/** Job kinds as a user names them. */
const JOB_KINDS: Readonly<Record<string, string>> = {
  train: 'Training',
  predict: 'Predictions',
  import: 'Import',
  'add-images': 'Adding images',
  rescan: 'Rescan',
  health: 'Dataset health',
  'near-duplicates': 'Near-duplicates',
  'export-model': 'Model export',
  extract: 'Feature extraction',
  backend: 'Backend check',
  thumbnails: 'Thumbnails',
  try: 'Trying images',
}

/** A phase's plain name, e.g. 'Extracting features'. */
export function phaseName(phase: string): string {
  return JOB_PHASES[phase]?.name ?? phase
}

/** What a phase's done/total count ('images', 'epochs', …; '' when nothing). */
export function phaseUnit(phase: string): string {
  return JOB_PHASES[phase]?.unit ?? ''
}

/** A job kind's plain name, e.g. 'Training'. */
export function jobKindName(kind: string): string {
  return JOB_KINDS[kind] ?? kind
}

/** A phase with its counts in plain words, e.g. 'Predicting 39 / 200 images'; without a total, 'Predicting…'. */
export function phaseProgress(p: { phase: string; done: number; total: number }): string {
  if (p.total <= 0) return `${phaseName(p.phase)}…`
  const unit = phaseUnit(p.phase)
  return `${phaseName(p.phase)} ${p.done.toLocaleString('en')} / ${p.total.toLocaleString('en')}${unit === '' ? '' : ` ${unit}`}`
}
