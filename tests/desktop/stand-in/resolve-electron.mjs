// Module hook: `import ... from 'electron'` in the built main bundle loads the stand-in instead.
const standIn = new URL('./electron.ts', import.meta.url).href

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: standIn, shortCircuit: true }
  return nextResolve(specifier, context)
}
