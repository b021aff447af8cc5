// The walls of eslint.config.js, each crossed once in a file planted (in memory only) where the wall
// stands: lint must refuse it with that wall's rule and reason. Imports the walls allow must lint clean,
// so a wall that refuses everything fails here too.
import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { beforeAll, describe, expect, it } from 'vitest'

const repoRoot = resolve(import.meta.dirname, '..', '..', '..')

let eslint: ESLint
beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot })
})

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parser'}: ${m.message}`)
}

const LAYERS = 'errors.ts ← db ← dataset ← store ← images ← ml ← (quality, health) ← jobs ← service'

interface Crossing {
  wall: string
  file: string
  code: string
  /** the rule id and the words of its message that name the wall */
  rule: string
  says: string
}

const uses = (name: string, from: string): string =>
  `import { ${name} } from '${from}'\nexport const planted = ${name}\n`

const crossings: Crossing[] = [
  {
    wall: 'a component imports the bridge',
    file: 'src-renderer/components/PlantedPanel.vue',
    code: `<script setup lang="ts">\nimport { getBridge } from '../bridge.ts'\ngetBridge()\n</script>\n\n<template><div /></template>\n`,
    rule: 'no-restricted-imports',
    says: 'only stores call the bridge',
  },
  {
    wall: 'a composable imports the bridge',
    file: 'src-renderer/composables/usePlanted.ts',
    code: uses('getBridge', '../bridge.ts'),
    rule: 'no-restricted-imports',
    says: 'only stores call the bridge',
  },
  {
    wall: 'a store imports main',
    file: 'src-renderer/stores/planted.ts',
    code: uses('TagsmithError', '../../src-main/core/errors.ts'),
    rule: 'no-restricted-imports',
    says: 'the renderer talks to main only through the bridge',
  },
  {
    wall: 'the preload imports core',
    file: 'src-preload/planted.ts',
    code: uses('Service', '../src-main/core/service/index.ts'),
    rule: 'no-restricted-imports',
    says: 'the preload imports only the contract, electron and src-shared',
  },
  {
    wall: 'the preload imports a package',
    file: 'src-preload/planted.ts',
    code: uses('z', 'zod'),
    rule: 'no-restricted-imports',
    says: 'the preload imports only the contract, electron and src-shared',
  },
  {
    wall: 'the contract imports a value',
    file: 'src-preload/contract/planted.ts',
    code: `import { Split } from './dataset.ts'\nexport type Planted = typeof Split\n`,
    rule: '@typescript-eslint/no-restricted-imports',
    says: 'the contract is types only',
  },
  {
    wall: 'the contract declares a value',
    file: 'src-preload/contract/planted.ts',
    code: `export const PLANTED = 1\n`,
    rule: 'no-restricted-syntax',
    says: 'the contract is types only',
  },
  {
    wall: 'the contract imports core types',
    file: 'src-preload/contract/planted.ts',
    code: `import type { Service } from '../../src-main/core/service/index.ts'\nexport type Planted = Service\n`,
    rule: 'no-restricted-imports',
    says: 'the contract imports only its own files and src-shared',
  },
  {
    wall: 'src-shared imports node:fs',
    file: 'src-shared/planted.ts',
    code: uses('readFileSync', 'node:fs'),
    rule: 'no-restricted-imports',
    says: 'src-shared imports nothing outside itself',
  },
  {
    wall: 'src-shared imports the contract',
    file: 'src-shared/planted.ts',
    code: `import type { Split } from '../src-preload/contract.ts'\nexport type Planted = Split\n`,
    rule: 'no-restricted-imports',
    says: 'src-shared imports nothing outside itself',
  },
  {
    wall: 'core/db imports core/ml',
    file: 'src-main/core/db/planted.ts',
    code: uses('labelTable', '../ml/metrics.ts'),
    rule: 'no-restricted-imports',
    says: `core/db imports only its own folder and the layers below it: ${LAYERS}`,
  },
  {
    wall: 'core/ml imports core/jobs (from a subfolder)',
    file: 'src-main/core/ml/onnx/planted.ts',
    code: uses('runJob', '../../jobs/run-job.ts'),
    rule: 'no-restricted-imports',
    says: 'core/ml imports only its own folder and the layers below it',
  },
  {
    wall: 'core/jobs imports core/service',
    file: 'src-main/core/jobs/planted.ts',
    code: uses('Service', '../service/index.ts'),
    rule: 'no-restricted-imports',
    says: 'core/jobs imports only its own folder and the layers below it',
  },
  {
    wall: 'core/jobs imports core/schemas.ts',
    file: 'src-main/core/jobs/planted.ts',
    code: uses('requestSchemas', '../schemas.ts'),
    rule: 'no-restricted-imports',
    says: 'core/jobs imports only its own folder and the layers below it',
  },
  {
    wall: 'core/quality imports core/health, its peer',
    file: 'src-main/core/quality/planted.ts',
    code: uses('datasetHealth', '../health/dataset-health.ts'),
    rule: 'no-restricted-imports',
    says: 'core/quality imports only its own folder and the layers below it',
  },
  {
    wall: 'core/errors.ts imports a core folder',
    file: 'src-main/core/errors.ts',
    code: uses('DbError', './db/errors.ts'),
    rule: 'no-restricted-imports',
    says: 'core/errors.ts is the bottom layer',
  },
  {
    wall: 'core imports a module of the app dynamically',
    file: 'src-main/core/ml/planted.ts',
    code: `export const planted = () => import('../jobs/run-job.ts')\n`,
    rule: 'no-restricted-syntax',
    says: 'import modules of the app statically',
  },
  {
    wall: 'core imports electron',
    file: 'src-main/core/images/planted.ts',
    code: uses('app', 'electron'),
    rule: 'no-restricted-imports',
    says: 'core never imports electron',
  },
  {
    wall: 'core imports the CLI',
    file: 'src-main/core/service/planted.ts',
    code: uses('main', '../../cli/index.ts'),
    rule: 'no-restricted-imports',
    says: 'core imports no outer room',
  },
  {
    wall: 'the server calls eval',
    file: 'src-main/server/planted.ts',
    code: `export const planted = eval('1')\n`,
    rule: 'no-eval',
    says: 'eval',
  },
  {
    wall: 'the renderer makes a Function',
    file: 'src-renderer/lib/planted.ts',
    code: `export const planted = new Function('return 1')\n`,
    rule: 'no-new-func',
    says: 'Function',
  },
  {
    wall: 'src-shared schedules a string',
    file: 'src-shared/planted.ts',
    code: `setTimeout('planted()', 1)\n`,
    rule: 'no-implied-eval',
    says: 'eval',
  },
]

const allowed: Array<{ room: string; file: string; code: string }> = [
  {
    room: 'a store imports the bridge',
    file: 'src-renderer/stores/planted.ts',
    code: uses('getBridge', '../bridge.ts'),
  },
  {
    room: 'the preload imports electron, the contract and src-shared',
    file: 'src-preload/planted.ts',
    code: `import { contextBridge } from 'electron'\nimport type { TagsmithApi } from './contract.ts'\nimport { imageUrl } from '../src-shared/image-url.ts'\nexport const planted: [unknown, Partial<TagsmithApi>] = [contextBridge, { imageUrl }]\n`,
  },
  {
    room: 'the contract imports types of its own files and src-shared',
    file: 'src-preload/contract/planted.ts',
    code: `import type { Split } from './dataset.ts'\nimport type { ListedRequestName } from '../../src-shared/names.ts'\nexport type Planted = Split | ListedRequestName\n`,
  },
  {
    room: 'src-shared imports its own files',
    file: 'src-shared/planted.ts',
    code: uses('shareOf', './metric-formulas.ts'),
  },
  {
    room: 'core/jobs imports its folder, lower layers, errors.ts, src-shared and packages',
    file: 'src-main/core/jobs/kinds/planted.ts',
    code: `import { runJob } from '../run-job.ts'\nimport { labelTable } from '../../ml/metrics.ts'\nimport { Project } from '../../dataset/project.ts'\nimport { TagsmithError } from '../../errors.ts'\nimport { REQUEST_NAMES } from '../../../../src-shared/names.ts'\nimport { z } from 'zod'\nexport const planted = [runJob, labelTable, Project, TagsmithError, REQUEST_NAMES, z]\n`,
  },
  {
    room: 'core/service imports jobs, health, quality and schemas.ts',
    file: 'src-main/core/service/planted.ts',
    code: `import { runJob } from '../jobs/run-job.ts'\nimport { datasetHealth } from '../health/dataset-health.ts'\nimport { suspectQueue } from '../quality/queues.ts'\nimport { requestSchemas } from '../schemas.ts'\nexport const planted = [runJob, datasetHealth, suspectQueue, requestSchemas]\n`,
  },
  {
    room: 'core/health imports ml',
    file: 'src-main/core/health/planted.ts',
    code: uses('labelTable', '../ml/metrics.ts'),
  },
]

describe('the walls in eslint.config.js', () => {
  it.each(crossings)('refuse it when $wall', async ({ file, code, rule, says }) => {
    const found = await problems(file, code)
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(`${rule}: `)
    expect(found[0]).toContain(says)
  })

  it.each(allowed)('let it pass when $room', async ({ file, code }) => {
    expect(await problems(file, code)).toEqual([])
  })
})
