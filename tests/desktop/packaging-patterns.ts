// electron-builder's reading of `files` and `asarUnpack` patterns, for tests that cannot run the packager
// (it would download Electron): minimatch with dot files, patterns read in order, where an inclusion can
// add a path and a later `!` exclusion take it out again. Paths are relative to the project, with `/`.
import { Minimatch } from 'minimatch'

/** The macros our patterns use, as electron-builder expands them for a build on this machine. */
export function expandMacros(
  pattern: string,
  platform: string = process.platform,
  arch: string = process.arch,
): string {
  return pattern.replaceAll('${platform}', platform).replaceAll('${arch}', arch)
}

export function matchesPatterns(file: string, patterns: readonly string[]): boolean {
  let matched = false
  for (const pattern of patterns.map((p) => new Minimatch(expandMacros(p), { dot: true }))) {
    // Once matched, only exclusions matter; until then, only inclusions.
    if (matched === pattern.negate) matched = pattern.match(file)
  }
  return matched
}

/** electron-builder copies production node_modules itself and applies only the `!` lines of `files`. */
export function packsNodeModuleFile(file: string, files: readonly string[]): boolean {
  return matchesPatterns(file, ['**/*', ...files.filter((p) => p.startsWith('!'))])
}

/** The app's own files: the `files` lines that are not about node_modules. */
export function packsAppFile(file: string, files: readonly string[]): boolean {
  return matchesPatterns(
    file,
    files.filter((p) => !p.replace(/^!/, '').startsWith('node_modules/')),
  )
}
