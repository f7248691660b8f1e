import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

const CORE = join(__dirname, '../../src/main/core')
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })

/** Every action name the core records with a literal name (`record(actor, 'feeds.createSource', …)`). */
function recordedActions(): string[] {
  const found = new Set<string>()
  for (const f of files(CORE)) {
    const text = readFileSync(f, 'utf8')
    for (const m of text.matchAll(/\brecord\(\s*[\w.?]+,\s*'([a-z]+\.[A-Za-z_]+)'/g))
      found.add(m[1]!)
    for (const m of text.matchAll(/\bchanged\(\s*'\w+',\s*[\w.]+,\s*'([a-z]+\.[A-Za-z_]+)'/g))
      found.add(m[1]!)
    for (const m of text.matchAll(/'(outbox\.(?:resend|mark_sent))'/g)) found.add(m[1]!)
  }
  return [...found].sort()
}

describe('the journal’s sentences', () => {
  it.each(['it', 'en'] as const)('exist for every action the core records (%s)', (locale) => {
    const actions = recordedActions()
    expect(actions.length).toBeGreaterThan(30)
    const catalogue = messages[locale] as unknown as { journalActions: Record<string, string> }
    const missing = actions.filter((a) => {
      const key = a.replace(/\./g, '_')
      return a === 'channels.test'
        ? !catalogue.journalActions.channels_test_ok ||
            !catalogue.journalActions.channels_test_failed
        : !catalogue.journalActions[key]
    })
    expect(missing).toEqual([])
  })
})

let t: TestCore
const ctx = { operator: 'Giulia Neri' }
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, ctx)
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

describe('the Diario panel', () => {
  it.each([
    ['it', 'Fonte di bollettini «CFR Toscana» aggiunta', 'Dati dell’ente modificati'],
    ['en', 'Bulletin source “CFR Toscana” added', 'Authority details edited'],
  ] as const)(
    'writes what was done as sentences, never internal names (%s)',
    async (locale, source, settings) => {
      t.core.handlers['feeds:createSource'](
        {
          name: 'CFR Toscana',
          kind: 'cap',
          url: 'https://example.it/cap.xml',
          intervalS: 300,
          enabled: false,
          zones: [],
        },
        ctx,
      )
      // Done from a page where nobody gave their name: the host's default actor.
      t.core.handlers['settings:update']({ hashtag: '#allertameteoTOS' }, { operator: 'operatore' })
      const { default: Panel } = await import('../../src/renderer/src/room/panels/JournalPanel.vue')
      const i18n = createI18n({ legacy: false, locale, messages })
      const w = mount(Panel, { props: { readOnly: true }, global: { plugins: [i18n] } })
      await flushPromises()
      const text = w.text()
      expect(text).toContain(source)
      expect(text).toContain(settings)
      expect(text).not.toMatch(/feeds\.createSource|settings\.update|feed:\d/)
      expect(text).toContain(locale === 'it' ? 'operatore senza nome' : 'unnamed operator')
      if (locale === 'en') expect(text).not.toContain('operatore')
      w.unmount()
    },
  )
})
