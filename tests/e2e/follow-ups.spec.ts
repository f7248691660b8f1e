import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { XMLParser } from 'fast-xml-parser'
import { startFakeSmtp, type FakeSmtpServer } from '../fakes/smtp-server'
import { capSchemaErrors } from '../support/cap-schema'
import { connectHostApi, type HostApi } from '../support/host-api'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'
import { toRomeInputValue } from '../../src/shared/time'

/**
 * An alert, its update and its cessata through the room, as an operator does it: orange
 * for Empoli, then red for Empoli and Vinci with a longer validity, then the all clear.
 * The website folder holds three CAP files that say what each version says, the SMTP
 * server's messages are threaded under the first, Consegne shows the three versions,
 * and the room's colour for Vinci goes red, then green.
 */

let host: HostProcess
let api: HostApi
let smtp: FakeSmtpServer
let www: string

const FAMILIES = [
  'Nominativo;E-mail;Comune',
  'Giulia Rossi;giulia.rossi@example.it;Empoli',
  'Marco Bianchi;marco.bianchi@example.it;Vinci',
].join('\r\n')

test.beforeAll(async () => {
  host = await startHostProcess()
  api = await connectHostApi(host.url)
  smtp = await startFakeSmtp()
  www = mkdtempSync(join(tmpdir(), 'vedetta-e2e-www-'))
  await api.call('settings:update', {
    cancelWindowSeconds: 1,
    link: 'https://www.empolese-valdelsa.it/allerta',
  })
  await api.call('channels:create', {
    kind: 'email_smtp',
    name: 'Posta famiglie',
    settings: {
      host: smtp.host,
      port: smtp.port,
      security: 'none',
      fromAddress: 'allerte@empolese.example.it',
    },
    secrets: {},
  })
  await api.call('channels:create', {
    kind: 'website',
    name: 'Sito PC',
    settings: {
      outputDir: www,
      publicBaseUrl: 'https://allerte.empolese.example.it/cap',
      senderId: 'protezionecivile@empolese.example.it',
    },
    secrets: {},
  })
  await api.call('contacts:import', {
    fileName: 'famiglie.csv',
    content: Buffer.from(FAMILIES, 'utf8').toString('base64'),
    dryRun: false,
    list: 'Famiglie',
  })
})
test.afterAll(async () => {
  api.close()
  await host.stop()
  removeDir(host.dataDir)
  await smtp.close()
  rmSync(www, { recursive: true, force: true })
})

async function send(page: Page, who?: string) {
  await page.getByLabel('Scrivi INVIA').fill('INVIA')
  if (who) await page.getByLabel('Chi invia? Nome e cognome').fill(who)
  await page.getByRole('button', { name: 'Invia a tutti i canali' }).click()
  await expect(page.getByTestId('alert-status')).toHaveText('Inviata', { timeout: 60_000 })
}

const levelOf = (page: Page, comune: string) => page.locator(`li[data-comune="${comune}"] .level`)

/** One `info` block of a CAP file, as the parser reads it. */
interface CapInfo {
  language: string
  parameter: { valueName: string; value: string } | { valueName: string; value: string }[]
  area: unknown
}

test('an orange alert, its red update with Vinci added, and the all clear: each version says its own', async ({
  page,
}) => {
  test.setTimeout(150_000)
  await page.goto(host.url)
  await page.getByRole('link', { name: 'Consegne' }).click()
  await page.getByRole('main').getByRole('link', { name: 'Nuova allerta' }).click()
  await page.getByLabel('Tipo di allerta').selectOption('idraulico')
  await page.getByLabel('Livello').selectOption('arancione')
  await page.getByRole('checkbox', { name: 'Empoli', exact: true }).check()
  await page.getByLabel('Titolo').fill('Allerta arancione per rischio idraulico')
  await page.getByRole('checkbox', { name: /Posta famiglie/ }).check()
  await page.getByRole('checkbox', { name: /Sito PC/ }).check()
  await page.getByRole('checkbox', { name: /Famiglie/ }).check()
  await page.getByRole('button', { name: 'Salva la bozza e prepara i testi' }).click()
  await send(page, 'Giulia Neri')

  // The update: red, Vinci added, valid two days more; the texts written again from the template.
  await page.getByRole('button', { name: 'Aggiornamento', exact: true }).click()
  const fields = page.getByRole('region', { name: 'Cosa dice questa versione' })
  await fields.getByLabel('Livello').selectOption('rosso')
  await fields.getByRole('checkbox', { name: 'Vinci', exact: true }).check()
  await fields
    .getByLabel('Valida fino alle')
    .fill(toRomeInputValue(Date.now() + 2 * 24 * 3_600_000).slice(0, 16))
  await fields.getByLabel('Valida fino alle').blur()
  const preview = page.getByRole('region', { name: 'Anteprima dell’invio' })
  await expect(preview).toContainText('da arancione a rosso')
  await expect(preview).toContainText('aggiunto Vinci')
  await page.getByRole('button', { name: /Riscrivi i testi dal modello/ }).click()
  await send(page)

  await page.getByRole('link', { name: 'Sala' }).click()
  await expect(levelOf(page, 'Vinci')).toHaveClass(/level--rosso/)
  await page.goBack()

  // The all clear: every comune back to green, its own words everywhere.
  await page.getByRole('button', { name: 'Cessata allerta', exact: true }).click()
  await send(page)

  await page.getByRole('link', { name: 'Sala' }).click()
  await expect(levelOf(page, 'Vinci')).toHaveClass(/level--verde/)
  await expect(levelOf(page, 'Empoli')).toHaveClass(/level--verde/)

  await page.getByRole('link', { name: 'Consegne' }).click()
  const main = page.getByRole('main')
  await expect(main).toContainText('Allerta')
  await expect(main).toContainText('Aggiornamento 1')
  await expect(main).toContainText('Cessata')

  // Three CAP files, valid, each with its own level and kind of message.
  const alerts = (await api.call('alerts:list', {})) as { identifier: string; msgType: string }[]
  const parser = new XMLParser({ ignoreAttributes: true })
  const caps = ['Alert', 'Update', 'Cancel'].map((msgType) => {
    const a = alerts.find((x) => x.msgType === msgType)!
    const file = join(www, `${a.identifier}.xml`)
    expect(capSchemaErrors(file)).toBe('')
    return parser.parse(readFileSync(file, 'utf8')) as {
      alert: {
        msgType: string
        references?: string
        info: CapInfo | CapInfo[]
      }
    }
  })
  // Each file says it in Italian first, then in English, with the same level in both.
  const infos = (c: (typeof caps)[number]) => [c.alert.info].flat()
  const awareness = (info: CapInfo) =>
    [info.parameter].flat().find((p) => p.valueName === 'awareness_level')?.value
  expect(caps.map((c) => c.alert.msgType)).toEqual(['Alert', 'Update', 'Cancel'])
  expect(caps.map((c) => infos(c).map((i) => i.language))).toEqual([
    ['it-IT', 'en-GB'],
    ['it-IT', 'en-GB'],
    ['it-IT', 'en-GB'],
  ])
  for (const language of [0, 1])
    expect(caps.map((c) => awareness(infos(c)[language]!))).toEqual([
      '3; orange; Severe',
      '4; red; Extreme',
      '1; green; Minor',
    ])
  const first = alerts.find((x) => x.msgType === 'Alert')!
  expect(caps[1]!.alert.references).toContain(first.identifier)
  expect(caps[2]!.alert.references).toContain(first.identifier)

  // Each family's three e-mails are one thread under the first.
  for (const to of ['giulia.rossi@example.it', 'marco.bianchi@example.it']) {
    const mails = smtp.messages.filter((m) => m.to.includes(to))
    const first = mails[0]!
    const followUps = mails.slice(1)
    expect(followUps).toHaveLength(2) // the update and the cessata
    for (const m of followUps) {
      expect(m.headers['in-reply-to']).toBe(first.messageId)
      expect(m.headers['references']).toContain(first.messageId)
    }
  }
})
