import { TagsmithError } from '../../errors.ts'
import { decodeRgb, normalise, UNIT_RANGE } from '../../images/decode.ts'
import { computeColourStatistics, type ColourDesign } from '../parts/colour-statistics.ts'
import type { ImageInputCard, ModelCard, ModelInputCard } from './model-card.ts'

// What an exported model takes for an image file, input by input, as tagsmith.json describes it: each
// image input decoded at its own size and normalised, the colour statistics computed from the bytes
// their image input decoded (before normalisation).

export type ColourFunction = (rgb: Uint8Array, size: number, design: ColourDesign) => Float32Array

/** Pixels as model.json takes them (each input's normalisation), or byte / 255 as model.onnx takes them. */
export type PixelRange = 'model' | 'unit'

/** The card's inputs in model.json's order: `inputs`, or the one image input of an older folder. */
export function cardInputs(card: ModelCard): ModelInputCard[] {
  if (card.inputs) return card.inputs
  const { size, resize, normalisation } = card.input
  return [{ name: 'input', kind: 'image', shape: [null, size, size, 3], size, resize, normalisation, backbone: card.backbone.id }]
}

/** Values one image gives an input. */
export function valuesPerImage(input: ModelInputCard): number {
  return input.kind === 'image' ? input.size * input.size * 3 : input.shape[1]
}

/** Every input's values for one image file, in the card's order; throws when the file cannot be read. */
export async function inputsOfFile(card: ModelCard, file: string, range: PixelRange, colour: ColourFunction = computeColourStatistics): Promise<Float32Array[]> {
  const inputs = cardInputs(card)
  const images = new Map(inputs.flatMap((i) => (i.kind === 'image' ? [[i.name, i] as const] : [])))
  // One decode per size and fit: inputs that share them share the bytes.
  const decodes = new Map<string, Promise<Uint8Array>>()
  const bytesOf = (i: ImageInputCard): Promise<Uint8Array> => {
    const key = `${i.size}:${i.resize}`
    let bytes = decodes.get(key)
    if (!bytes) {
      bytes = decodeRgb(file, { size: i.size, fit: i.resize })
      decodes.set(key, bytes)
    }
    return bytes
  }
  return Promise.all(
    inputs.map(async (input) => {
      if (input.kind === 'image') return normalise(await bytesOf(input), range === 'unit' ? UNIT_RANGE : input.normalisation)
      const from = images.get(input.from)
      if (!from) throw new TagsmithError('BAD_INPUT', `input ${input.name} is computed from ${input.from}, which is not an image input`)
      const values = colour(await bytesOf(from), from.size, input.design.parameters)
      if (values.length !== input.shape[1]) {
        throw new TagsmithError('BAD_INPUT', `colour statistics "${input.design.name}" give ${values.length} values; input ${input.name} takes ${input.shape[1]}`)
      }
      return values
    }),
  )
}

/** Inputs of image files; an unreadable file gives its error in its place. */
export async function inputsOfFiles(card: ModelCard, files: readonly string[], range: PixelRange, colour?: ColourFunction): Promise<Array<Float32Array[] | Error>> {
  return Promise.all(
    files.map(async (file) => {
      try {
        return await inputsOfFile(card, file, range, colour)
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err))
      }
    }),
  )
}

/** Images' inputs joined into one batch per input (image after image). */
export function batchOf(perImage: ReadonlyArray<readonly Float32Array[]>): Float32Array[] {
  const first = perImage[0]
  if (!first) return []
  return first.map((_, k) => {
    const per = (first[k] as Float32Array).length
    const out = new Float32Array(perImage.length * per)
    perImage.forEach((inputs, i) => out.set(inputs[k] as Float32Array, i * per))
    return out
  })
}
