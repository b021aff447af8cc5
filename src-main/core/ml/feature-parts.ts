import type { BackboneEntry, BackboneSpec } from './backbones/catalog.ts'
import { cacheKeyOf } from './backbones/load.ts'
import { prepVersion } from './extract.ts'
import { composeKey, type FeaturePart } from './feature-key.ts'
import { colourDesign, colourPartKey } from './parts/colour-designs.ts'
import { DECODE_PIPELINE_VERSION } from '../images/decode.ts'

// The parts a spec's features are made of, in the order they are joined, each cached on its own: adding
// a part to a preset extracts only that part.

/** The primary backbone cut alone, without the parts a preset adds. */
export function primaryOf(spec: BackboneSpec): BackboneEntry {
  const { colour: _colour, also: _also, ...entry } = spec
  return entry
}

export function colourPrep(name: string): number {
  return colourDesign(name).version * 1000 + DECODE_PIPELINE_VERSION
}

export function featureParts(spec: BackboneSpec): FeaturePart[] {
  const parts: FeaturePart[] = [{ key: cacheKeyOf(primaryOf(spec)), prep: prepVersion(spec) }]
  if (spec.colour) parts.push({ key: colourPartKey(spec.colour, spec.inputSize), prep: colourPrep(spec.colour) })
  for (const other of spec.also ?? []) parts.push({ key: cacheKeyOf(other), prep: prepVersion(other) })
  return parts
}

/** The feature cache key of a spec: its primary cut's key, or every part's for a composite. */
export function featureKeyOf(spec: BackboneSpec): string {
  return composeKey(featureParts(spec))
}
