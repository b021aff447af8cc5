import { describe, expect, it } from 'vitest'
import { readCatalog, type BackboneCatalog } from '../../../src-main/core/ml/backbones/catalog.ts'
import { resolveChoice, specOfStored } from '../../../src-main/core/ml/backbones/presets.ts'
import { nsfwjsArtifacts } from '../../../src-main/core/ml/backbones/artifacts.ts'
import { featureKeyOf } from '../../../src-main/core/ml/feature-parts.ts'
import { TagsmithError } from '../../../src-main/core/errors.ts'

const catalog = readCatalog()

function refusal(work: () => unknown): TagsmithError {
  try {
    work()
  } catch (err) {
    if (err instanceof TagsmithError) return err
    throw err
  }
  throw new Error('expected a refusal')
}

function withPreset(change: Partial<BackboneCatalog['presets'][number]>): BackboneCatalog {
  return { ...catalog, presets: [{ ...(catalog.presets[0] as BackboneCatalog['presets'][number]), ...change }] }
}

describe('presets', () => {
  it('the shipped catalog has a default preset that joins colour statistics, and an accurate one that adds InceptionV3', () => {
    const plain = resolveChoice({})
    expect(plain.preset?.id).toBe(catalog.defaultPreset)
    expect(plain.spec.colour).toBeDefined()
    const accurate = resolveChoice({ preset: 'accurate' })
    expect(accurate.spec.also?.map((a) => a.id)).toEqual(['nsfwjs-inceptionv3'])
    // The composite key names every part; a stored run resolves back to the same key.
    const key = featureKeyOf(accurate.spec)
    expect(key.split(' | ')).toHaveLength(3)
    expect(featureKeyOf(specOfStored({ id: accurate.spec.id, featureLayers: accurate.spec.featureLayers, colour: accurate.spec.colour, also: accurate.spec.also?.map((a) => ({ id: a.id, featureLayers: a.featureLayers })) }))).toBe(key)
    // A backbone alone is that backbone's cut: the key it always had.
    expect(featureKeyOf(resolveChoice({ backbone: 'nsfwjs-mobilenetv2' }).spec)).toBe(`nsfwjs-mobilenetv2:${catalog.backbones[0]?.featureLayers.join('+')}`)
  })

  it('an unknown preset, colour design or joined backbone is refused with its name', () => {
    expect(refusal(() => resolveChoice({ preset: 'fastest' })).message).toMatch(/unknown preset "fastest" \(presets: default, accurate\)/)
    expect(refusal(() => resolveChoice({}, withPreset({ colour: 'rainbow' }))).message).toMatch(/unknown colour statistics "rainbow"/)
    expect(refusal(() => resolveChoice({}, withPreset({ also: [{ backbone: 'resnet-9000' }] }))).message).toMatch(/joins backbone "resnet-9000"/)
    expect(refusal(() => resolveChoice({ preset: 'default', backbone: 'nsfwjs-mobilenetv2' })).message).toMatch(/choose a preset .* or a backbone/)
  })

  it('a bundled model whose files are missing is named, not a module-loader error', () => {
    const err = refusal(() => nsfwjsArtifacts('nsfwjs', 'models/no_such_model'))
    expect(err.code).toBe('UNAVAILABLE')
    expect(err.message).toMatch(/nsfwjs\/models\/no_such_model: model\.min\.js is missing/)
  })
})
