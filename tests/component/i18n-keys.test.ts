import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { messages } from '../../src/renderer/src/i18n'

const ROOT = join(__dirname, '../../src/renderer/src')

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    return statSync(full).isDirectory() ? files(full) : /\.(vue|ts)$/.test(name) ? [full] : []
  })
}

/** Every literal key passed to t(…) in the renderer. */
function usedKeys(): { key: string; file: string }[] {
  const out: { key: string; file: string }[] = []
  for (const file of files(ROOT)) {
    const text = readFileSync(file, 'utf8')
    for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g))
      out.push({ key: m[1]!, file: file.slice(ROOT.length + 1) })
  }
  return out
}

function has(catalog: unknown, key: string): boolean {
  let at: unknown = catalog
  for (const part of key.split('.')) {
    if (typeof at !== 'object' || at === null || !(part in at)) return false
    at = (at as Record<string, unknown>)[part]
  }
  return typeof at === 'string'
}

/** Every leaf key of a catalog, dotted. */
function leaves(catalog: unknown, prefix = ''): string[] {
  if (typeof catalog !== 'object' || catalog === null) return [prefix]
  return Object.entries(catalog).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k))
}

describe('the interface text', () => {
  it('has every key the screens use, in Italian and in English', () => {
    const missing = usedKeys().flatMap(({ key, file }) =>
      (['it', 'en'] as const)
        .filter((l) => !has(messages[l], key))
        .map((l) => `${l}: ${key} (${file})`),
    )
    expect(missing).toEqual([])
  })

  it('says the same things in both languages', () => {
    const it_ = new Set(leaves(messages.it))
    const en = new Set(leaves(messages.en))
    expect([...it_].filter((k) => !en.has(k))).toEqual([])
    expect([...en].filter((k) => !it_.has(k))).toEqual([])
  })
})
