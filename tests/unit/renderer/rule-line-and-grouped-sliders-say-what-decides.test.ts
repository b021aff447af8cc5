import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { decidedByGroup, describeRule, globalReach, storedRule } from '../../../src-renderer/lib/decision-rule.ts'
import { extractionName, headName, runFeaturesName } from '../../../src-renderer/lib/engine-names.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { caseRows, GROUPS, PredictionsBridge } from './predictions-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const COLOURS = [0, 1, 2, 3, 4, 5]
const GARMENTS = [6, 7, 8, 9, 10]

describe('the decision rule in words', () => {
  it('names groups and the thresholds of the labels outside them', () => {
    const t = [0.5, 0.5, 0.5, 0.4]
    expect(describeRule({ decodeGroups: true, groupCols: [[0, 1]], thresholds: t, tuned: null })).toBe('Decision: groups by most probable; other labels at per-label thresholds (0.40–0.50)')
    expect(describeRule({ decodeGroups: false, groupCols: [[0, 1]], thresholds: [0.5, 0.5], tuned: null })).toBe('Decision: every label at 0.50')
    expect(describeRule({ decodeGroups: true, groupCols: [], thresholds: [0.3, 0.3], tuned: null })).toBe('Decision: every label at 0.30')
    expect(describeRule({ decodeGroups: true, groupCols: [[0], [1]], thresholds: [0.3, 0.7], tuned: null })).toBe('Decision: groups by most probable (every label is in a group)')
    expect(describeRule({ decodeGroups: false, groupCols: [], thresholds: [0.3, 0.7], tuned: [0.3, 0.7] })).toBe('Decision: every label at tuned thresholds')
    expect(storedRule(true)).toContain('every label at 0.50, as trained')
  })

  it('says what the global slider still decides', () => {
    const all = decidedByGroup(11, true, [COLOURS, GARMENTS])
    expect(globalReach(11, all)).toBe('affects 0 of 11 labels: every label is in a group')
    expect(globalReach(11, decidedByGroup(11, true, [COLOURS]))).toBe('affects 5 of 11 labels: 6 in groups are decided by group')
    expect(globalReach(11, decidedByGroup(11, false, [COLOURS, GARMENTS]))).toBe('affects all 11 labels')
  })

  it('marks the sliders of grouped labels only while groups are decided by most probable label', async () => {
    const fake = new PredictionsBridge(caseRows(), GROUPS)
    await openProject(fake, use)
    const p = usePredictionsStore()
    await vi.waitFor(() => expect(p.runId).toBe(3))
    expect(p.groupedLabels).toEqual([true, true, false])
    expect(p.rule).toBe('Decision: groups by most probable; other labels at 0.50')
    p.setDecodeGroups(false)
    expect(p.groupedLabels).toEqual([false, false, false])
    expect(p.rule).toBe('Decision: every label at 0.50')
  })
})

describe('one name per engine and backbone', () => {
  const backend = { backend: 'wasm', device: 'CPU (WASM SIMD, 1 thread)', tried: [] }

  it('names the feature engine and the head backend apart, by the same words', () => {
    expect(`Features: ${extractionName('onnx', backend)} · Head: ${headName(backend)}`).toBe('Features: ONNX Runtime (CPU) · Head: TF.js WASM')
    expect(extractionName('wasm', backend)).toBe('TF.js WASM (CPU)')
    expect(extractionName('tfjs-node', { backend: 'tensorflow', device: 'CUDA GPU', tried: [] })).toBe('TensorFlow native (GPU)')
    expect(headName({ backend: 'tensorflow', device: 'CPU', tried: [] })).toBe('TensorFlow native')
  })

  it("shows a run's features by the catalog's display name", () => {
    const catalog = {
      backbones: [{ id: 'nsfwjs-mobilenetv2', name: 'MobileNetV2 (bundled, offline)', source: 'bundled' as const, inputSize: 224, featureLayers: [] }],
      presets: [{ id: 'default', name: 'Default', description: '', parts: [], head: {} }],
    }
    expect(runFeaturesName({ backbone: 'nsfwjs-mobilenetv2', preset: null }, catalog)).toBe('MobileNetV2 (bundled, offline)')
    expect(runFeaturesName({ backbone: 'nsfwjs-mobilenetv2', preset: 'default' }, catalog)).toBe('Default')
    // A backbone the catalog no longer lists keeps its id rather than nothing.
    expect(runFeaturesName({ backbone: 'my-folder', preset: null }, catalog)).toBe('my-folder')
  })
})
