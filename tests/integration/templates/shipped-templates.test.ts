import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCore } from '../../../src/main/core/app'
import { seedDemoWorkspace } from '../../../src/main/core/demo/seed-demo'
import { createKeyFileCipher } from '../../../src/main/core/secrets/key-file-cipher'
import type { CommandHandlers } from '../../../src/main/core/handlers'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { AlertPreview } from '../../../src/shared/alerts/views'
import type { CommandInput, CommandName, CommandOutput } from '../../../src/shared/contract'
import { CoreError } from '../../../src/main/core/errors'
import { createTestCore, type TestCore } from '../../support/test-core'

/**
 * Every shipped template, applied by the composer to a typical alert of its
 * kind over every comune of the Circondario, previewed on an account of every
 * channel: as they ship, nothing must stand between the operator and "Invia".
 */

const COMUNI: string[] = (
  JSON.parse(readFileSync(join(__dirname, '../../../resources/comuni.json'), 'utf8')) as {
    comuni: { name: string }[]
  }
).comuni.map((c) => c.name)

let t: TestCore
let siteDir: string
const call = async <K extends CommandName>(
  handlers: CommandHandlers,
  name: K,
  input: CommandInput<K>,
): Promise<CommandOutput<K>> => {
  const envelope = await createDispatch(handlers)(name, input, { operator: 'Giulia' })
  if (!envelope.ok)
    throw new CoreError(
      'invalid_input',
      `${envelope.error.message} ${JSON.stringify(envelope.error.issues ?? [])}`,
    )
  return envelope.value as CommandOutput<K>
}

beforeEach(async () => {
  t = createTestCore()
  siteDir = mkdtempSync(join(tmpdir(), 'vedetta-site-'))
  await seedDemoWorkspace(t.core.handlers, { contacts: 30 })
  await call(t.core.handlers, 'channels:create', {
    kind: 'website',
    name: 'Sito del Circondario',
    settings: {
      outputDir: siteDir,
      publicBaseUrl: 'https://www.empolese-valdelsa.it/allerte',
      senderId: 'protezionecivile@empolese-valdelsa.it',
    },
    secrets: {},
  })
})
afterEach(async () => {
  await t.core.drills?.closeAll()
  t.dispose()
  rmSync(siteDir, { recursive: true, force: true })
})

/** Each shipped template applied to an alert over every comune, a week from Wednesday to Wednesday (the longest dates). */
async function previews(handlers: CommandHandlers) {
  const [templates, accounts, lists] = await Promise.all([
    call(handlers, 'templates:list', {}),
    call(handlers, 'channels:list', {}),
    call(handlers, 'lists:list', {}),
  ])
  expect(new Set(accounts.map((a) => a.kind))).toEqual(
    new Set([
      'sms_gateway',
      'email_smtp',
      'telegram',
      'facebook_page',
      'x',
      'mastodon',
      'bluesky',
      'website',
    ]),
  )
  const out: { template: string; preview: AlertPreview }[] = []
  for (const template of templates.filter((x) => x.builtin)) {
    const alert = await call(handlers, 'alerts:createDraft', {
      draft: {
        kind: template.kind,
        level: template.level,
        comuni: COMUNI.map((name) => ({ name })),
        validFrom: '2026-09-23T14:00:00+02:00',
        validTo: '2026-09-30T23:59:00+02:00',
        headline: 'Strada provinciale chiusa tra Vinci e Sovigliana',
        description: 'Un albero è caduto sulla SP 13: la strada resta chiusa fino a sera.',
        instruction: 'Segui le deviazioni indicate sul posto.',
        targets: {
          accountIds: accounts.map((a) => a.id),
          listIds: lists.map((l) => l.id),
          partnerIds: [],
        },
      },
    })
    await call(handlers, 'alerts:applyTemplate', { id: alert.id, templateId: template.id })
    out.push({
      template: template.id,
      preview: await call(handlers, 'alerts:preview', { id: alert.id }),
    })
  }
  return out
}

const errorsOf = (preview: AlertPreview) => [
  ...preview.warnings.filter((w) => w.severity === 'error').map((w) => `alert: ${w.code}`),
  ...preview.accounts.flatMap((a) =>
    a.warnings
      .filter((w) => w.severity === 'error')
      .map((w) => `${a.accountName}: ${w.code} ${JSON.stringify(w.params ?? {})}`),
  ),
]

describe('the shipped templates, as they are', () => {
  it('send on every channel once the ente is configured, in real operations and in a drill', async () => {
    await call(t.core.handlers, 'settings:update', {
      link: 'https://www.empolese-valdelsa.it/allerta',
      numeroEmergenza: '112',
      hashtag: '#allertameteoTOS',
    })
    const real = await previews(t.core.handlers)
    expect(real.length).toBeGreaterThanOrEqual(18)
    for (const { template, preview } of real) expect(errorsOf(preview), template).toEqual([])
    const x = real.find((r) => r.template === 'neve-arancione')!.preview.accounts
    expect(x.find((a) => a.kind === 'x')?.text).toMatch(/Vinci\. .* #allertameteoTOS$/)

    // In a drill every text starts with the marker: still within every limit.
    const item = await call(t.core.handlers, 'drills:create', {
      scenarioId: 'neve-arancione-empolese',
    })
    const drill = t.core.drills!.open(item.id)
    const drilled = await previews(drill.handlers)
    for (const { template, preview } of drilled) {
      expect(errorsOf(preview), template).toEqual([])
      for (const a of preview.accounts) expect(a.text).toMatch(/^ESERCITAZIONE - /)
    }
  })

  it('in a new workspace, name the setting to fill instead of a variable left in the text', async () => {
    // A new workspace has no link yet; without a hashtag the posts simply end earlier.
    await call(t.core.handlers, 'settings:update', { hashtag: '' })
    const all = await previews(t.core.handlers)
    const codes = new Set(all.flatMap(({ preview }) => errorsOf(preview)))
    const expected = [...codes].filter((c) => !c.endsWith(': missing_setting {"name":"link"}'))
    expect(expected).toEqual([])
    expect(codes.size).toBeGreaterThan(0)
    for (const { preview } of all) {
      for (const a of preview.accounts) {
        expect(a.text).not.toMatch(/\{\{(?!link\}\})/)
        expect(a.text).toBe(a.text.trimEnd())
      }
    }
  })
})

describe('a workspace made with the earlier shipped texts', () => {
  it('gets the current ones for the templates nobody edited, and keeps the edited ones', async () => {
    const db = t.core.db
    const old = JSON.stringify({ x: 'Allerta su {{comuni}} #allertameteoTOS' })
    // As an older Vedetta left them: one untouched since seeding, one saved by the office.
    db.prepare("UPDATE templates SET variants = ? WHERE id = 'neve-arancione'").run(old)
    db.prepare(
      "UPDATE templates SET variants = ?, updated_at = '2030-01-01T00:00:00.000Z' WHERE id = 'neve-giallo'",
    ).run(old)
    // As a Vedetta before the texts that open with what to do left it: not yet refreshed to v4.
    db.prepare("DELETE FROM workspace_meta WHERE key = 'refreshed:templates:v4'").run()
    t.core.close()
    const reopened = createCore({
      dataDir: t.dataDir,
      cipher: createKeyFileCipher(t.dataDir),
      shell: 'host',
      version: 'test',
      resourcesDir: join(__dirname, '../../../resources'),
    })
    try {
      const all = await call(reopened.handlers, 'templates:list', {})
      const byId = new Map(all.map((x) => [x.id, x]))
      expect(byId.get('neve-arancione')?.variants.x).toMatch(/\{\{hashtag\}\}$/)
      // The posts that open with what to do came with it.
      expect(byId.get('neve-arancione')?.variants.x).toMatch(
        /^\{\{esercitazione\}\}Limita gli spostamenti: allerta/,
      )
      // The text for calls came with the refresh.
      expect(byId.get('neve-arancione')?.variants.voice).toMatch(
        /^\{\{esercitazione\}\}Messaggio della Protezione civile/,
      )
      expect(byId.get('neve-arancione')?.updatedAt).toBe(byId.get('neve-arancione')?.createdAt)
      expect(byId.get('neve-giallo')?.variants.x).toBe('Allerta su {{comuni}} #allertameteoTOS')
    } finally {
      reopened.close()
    }
  })
})
