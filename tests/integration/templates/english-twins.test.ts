import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore, type Core } from '../../../src/main/core/app'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import type { Alert } from '../../../src/shared/alerts/types'
import { createTestCore, type TestCore } from '../../support/test-core'

// A workspace made before the English website texts: its templates are stored
// without `website_en`. Reopened by this Vedetta over the same SQLite file.
let t: TestCore
let reopened: Core | undefined
const ctx = { operator: 'test' }
beforeEach(() => {
  t = createTestCore()
  reopened = undefined
})
afterEach(() => {
  reopened?.close()
  t.dispose()
})

function reopen(): Core {
  t.core.close()
  reopened = createCore({
    dataDir: t.dataDir,
    cipher: createKeyFileCipher(t.dataDir),
    shell: 'host',
    version: 'test',
    resourcesDir: join(__dirname, '../../../resources'),
  })
  return reopened
}

/** Stored variants as an older Vedetta wrote them: without the English text. */
function withoutEnglish(id: string, updatedAt?: string, website?: string): void {
  const db = t.core.db
  const row = db.prepare('SELECT variants FROM templates WHERE id = ?').get(id) as {
    variants: string
  }
  const { website_en: _en, ...older } = JSON.parse(row.variants) as Record<string, string>
  db.prepare('UPDATE templates SET variants = ? WHERE id = ?').run(
    JSON.stringify(website === undefined ? older : { ...older, website }),
    id,
  )
  if (updatedAt) db.prepare('UPDATE templates SET updated_at = ? WHERE id = ?').run(updatedAt, id)
}

describe('English twins for an older workspace', () => {
  it('a shipped template gets its English text where its Italian website text is still the shipped one', async () => {
    const before = new Map((await t.core.handlers['templates:list']({}, ctx)).map((x) => [x.id, x]))
    withoutEnglish('neve-arancione')
    // Saved by the office (another text), its website text as shipped: the twin still says it.
    withoutEnglish('neve-giallo', '2030-01-01T00:00:00.000Z')
    // The office rewrote its website text: no twin, it would say something else.
    withoutEnglish('neve-rosso', '2030-01-01T00:00:00.000Z', 'Testo del sito scritto dall’ufficio')
    t.core.db.prepare("DELETE FROM workspace_meta WHERE key = 'seeded:templates:english:v1'").run()
    const core = reopen()
    const after = new Map((await core.handlers['templates:list']({}, ctx)).map((x) => [x.id, x]))
    expect(after.get('neve-arancione')?.variants.website_en).toBe(
      before.get('neve-arancione')?.variants.website_en,
    )
    expect(after.get('neve-giallo')?.variants.website_en).toMatch(
      /^\{\{esercitazione\}\}\{\{livello\}\} alert for/,
    )
    expect(after.get('neve-giallo')?.updatedAt).toBe('2030-01-01T00:00:00.000Z')
    expect(after.get('neve-rosso')?.variants.website_en).toBe('')
    expect(after.get('neve-rosso')?.variants.website).toBe('Testo del sito scritto dall’ufficio')
  })

  it('an office template saved without the English text still fills a draft, its English text empty', async () => {
    const saved = await t.core.handlers['templates:save'](
      {
        name: 'Avviso del Comune',
        kind: 'generico',
        level: 'verde',
        variants: { website: '{{titolo}}\n\n{{descrizione}}' },
      },
      ctx,
    )
    withoutEnglish(saved.id)
    const alert = (await t.core.handlers['alerts:createDraft'](
      {
        draft: {
          kind: 'generico',
          level: 'verde',
          comuni: [{ name: 'Empoli' }],
          validFrom: '2025-12-03T14:00:00+01:00',
          validTo: '2025-12-04T08:00:00+01:00',
          headline: 'Strada chiusa',
          description: 'La SP 13 è chiusa.',
          targets: { accountIds: [], listIds: [], partnerIds: [] },
        },
      } as never,
      ctx,
    )) as Alert
    const { alert: filled } = await t.core.handlers['alerts:applyTemplate'](
      { id: alert.id, templateId: saved.id },
      ctx,
    )
    expect(filled.texts.website).toBe('Strada chiusa\n\nLa SP 13 è chiusa.')
    expect(filled.texts.website_en).toBe('')
  })
})
