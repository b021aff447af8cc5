import { TagsmithError } from '../../errors.ts'
import type { TrainConfig } from '../train.ts'
import { colourDesign } from '../parts/colour-designs.ts'
import { readCatalog, resolveBackbone, type BackboneCatalog, type BackboneEntry, type BackboneSpec, type PresetSpec } from './catalog.ts'

// A preset is what one click trains: which features (a backbone cut, colour statistics, further models'
// taps) and the head settings they were measured with. Choosing a backbone instead trains on that cut
// alone with the engine's head defaults.

export interface FeatureChoice {
  /** a preset id (default: the catalog's default preset when no backbone is named either) */
  preset?: string
  /** a catalog backbone id or a model folder, trained on alone */
  backbone?: string
  /** feature layers of the backbone (or of the preset's primary model) */
  layers?: string[]
}

export interface ResolvedChoice {
  spec: BackboneSpec
  /** the preset chosen, null for a plain backbone */
  preset: PresetSpec | null
  /** the preset's head settings, to lay under the user's own */
  head: Partial<TrainConfig>
}

export function findPreset(id: string, catalog: BackboneCatalog = readCatalog()): PresetSpec {
  const preset = catalog.presets.find((p) => p.id === id)
  if (!preset) throw new TagsmithError('BAD_INPUT', `unknown preset "${id}" (presets: ${catalog.presets.map((p) => p.id).join(', ')})`)
  return preset
}

/** A further model a composite joins: a catalog entry (never a folder), cut at its layers. */
function alsoEntry(id: string, layers: string[] | undefined, catalog: BackboneCatalog, where: string): BackboneEntry {
  const entry = catalog.backbones.find((b) => b.id === id)
  if (!entry) throw new TagsmithError('BAD_INPUT', `${where} joins backbone "${id}", which is not in the catalog (${catalog.backbones.map((b) => b.id).join(', ')})`)
  return { ...entry, featureLayers: layers && layers.length > 0 ? [...layers] : [...entry.featureLayers] }
}

export function resolveChoice(choice: FeatureChoice, catalog: BackboneCatalog = readCatalog()): ResolvedChoice {
  if (choice.backbone !== undefined && choice.preset !== undefined) {
    throw new TagsmithError('BAD_INPUT', `choose a preset (${choice.preset}) or a backbone (${choice.backbone}), not both`)
  }
  if (choice.backbone !== undefined) return { spec: resolveBackbone(choice.backbone, { layers: choice.layers, catalog }), preset: null, head: {} }
  const preset = findPreset(choice.preset ?? catalog.defaultPreset, catalog)
  const spec: BackboneSpec = resolveBackbone(preset.backbone, { layers: choice.layers ?? preset.layers, catalog })
  if (preset.colour) {
    colourDesign(preset.colour) // names the design when it does not exist
    spec.colour = preset.colour
  }
  if (preset.also && preset.also.length > 0) spec.also = preset.also.map((a) => alsoEntry(a.backbone, a.layers, catalog, `preset ${preset.id}`))
  return { spec, preset, head: { ...preset.head } }
}

/** What a stored run's features were made of, to resolve again for prediction and export. */
export interface StoredFeatureChoice {
  id: string
  folder?: string
  featureLayers: string[]
  colour?: string
  also?: Array<{ id: string; featureLayers: string[] }>
}

export function specOfStored(stored: StoredFeatureChoice, catalog: BackboneCatalog = readCatalog()): BackboneSpec {
  const spec: BackboneSpec = resolveBackbone(stored.folder ?? stored.id, { layers: stored.featureLayers, catalog })
  if (stored.colour) {
    colourDesign(stored.colour)
    spec.colour = stored.colour
  }
  if (stored.also && stored.also.length > 0) spec.also = stored.also.map((a) => alsoEntry(a.id, a.featureLayers, catalog, `the run's features`))
  return spec
}
