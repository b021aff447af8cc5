#!/usr/bin/env node
// Renders resources/icon.svg to the PNGs electron-builder packs (electron-builder.ts): 1024×1024 for the
// macOS .icns and the Windows .ico, which it derives from it, and 512×512 beside it for Linux's icon set.
// Run after editing the SVG: node scripts/render-icons.mjs
import fs from 'node:fs'
import path from 'node:path'
import sharp from 'sharp'

const resources = path.resolve(import.meta.dirname, '..', 'resources')
const svg = fs.readFileSync(path.join(resources, 'icon.svg'))
fs.mkdirSync(path.join(resources, 'icons'), { recursive: true })
for (const size of [512, 1024]) {
  const file = path.join(resources, 'icons', `${size}x${size}.png`)
  // Rasterise at the target size (72 dpi is the SVG's own 1024 px) rather than scaling a bitmap down.
  await sharp(svg, { density: (72 * size) / 1024 })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(file)
  console.log(path.relative(process.cwd(), file))
}
