import { describe, expect, it } from 'vitest'
import { pathParts, queueScope, shortName, suspectView, uncertainView } from '../../../src-renderer/lib/queue-rows.ts'

describe('queue rows', () => {
  it('show the folder and the file name, the middle of a long hash name left out', () => {
    expect(pathParts('images/black_dress/0a3f9c27d1e84b5f9a6c2e71.jpg')).toEqual({ folder: 'black_dress/', name: '0a3f9c27d…6c2e71.jpg' })
    expect(pathParts('black_dress\\short.png')).toEqual({ folder: 'black_dress/', name: 'short.png' })
    expect(pathParts('./top.jpg')).toEqual({ folder: '', name: 'top.jpg' })
    const long = shortName('0a3f9c27d1e84b5f9a6c2e71ffeeddcc.jpeg')
    expect(long.length).toBeLessThanOrEqual(20)
    expect(long.startsWith('0a3f')).toBe(true)
    expect(long.endsWith('.jpeg')).toBe(true)
    expect(long).toContain('…')
    expect(shortName('a-name-without-an-extension-at-all')).toMatch(/^a-name-wit.*….*all$/)
  })

  it('say what is stored and what the model thinks, not an arrow', () => {
    expect(suspectView({ label: 'black', stored: 1, probability: 0.0412 })).toBe('black: labelled 1, model 0.04')
    expect(suspectView({ label: 'red', stored: 0, probability: 0.938 })).toBe('red: labelled 0, model 0.94')
    const item = { unlabelled: [], label: 'red', probability: 0.48, threshold: 0.5 }
    expect(uncertainView(item, 0)).toBe('red: labelled 0, model 0.48 (threshold 0.50)')
    expect(uncertainView(item, null)).toBe('red: empty, model 0.48 (threshold 0.50)')
    expect(uncertainView({ ...item, unlabelled: ['red', 'blue'] }, 1)).toBe('empty: red, blue')
    expect(uncertainView({ unlabelled: [], label: null, probability: null, threshold: null }, null)).toBe('')
  })

  it('say the queue total once: the listed images, and the candidates when the list holds fewer', () => {
    expect(queueScope(500, 2658)).toBe('500 of 2,658 candidates')
    expect(queueScope(40, 40)).toBe('40 images')
    expect(queueScope(1, 1)).toBe('1 image')
  })
})
