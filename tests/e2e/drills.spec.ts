import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { connectHostApi, type HostApi } from '../support/host-api'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

let host: HostProcess
let api: HostApi

/** WCAG 2.1 AA violations axe-core finds on the page, by rule and element. */
async function axeViolations(page: Page): Promise<string[]> {
  const r = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)
}

const csv = (rows: string[]) => Buffer.from(rows.join('\r\n'), 'utf8').toString('base64')

/**
 * The workspace the snow scenario names (resources/scenarios/README.md): its lists,
 * the seeded partners, and channel accounts of the right kinds. They point at the
 * real providers: in a drill only their simulated twins are ever built.
 */
test.beforeAll(async () => {
  host = await startHostProcess()
  api = await connectHostApi(host.url, 'ufficio ICT')
  await api.call('settings:update', {
    cancelWindowSeconds: 0,
    link: 'https://www.empolese-valdelsa.it/allerta',
  })
  const accounts = [
    {
      kind: 'sms_gateway',
      name: 'SMS Circondario',
      settings: {
        baseUrl: 'https://api.skebby.it/API/v1.0/REST/',
        username: 'protciv',
        sender: 'ProtCiv',
        messageType: 'GP',
      },
      secrets: { password: 'segreto' },
    },
    {
      kind: 'email_smtp',
      name: 'Email Protezione Civile',
      settings: {
        host: 'smtp.example.org',
        port: 587,
        security: 'starttls',
        fromAddress: 'allerte@example.org',
      },
      secrets: { password: 'segreto' },
    },
    {
      kind: 'facebook_page',
      name: 'Facebook Protezione Civile',
      settings: { baseUrl: 'https://graph.facebook.com', apiVersion: 'v23.0', pageId: '123' },
      secrets: { pageAccessToken: 'segreto' },
    },
    {
      kind: 'telegram',
      name: 'Telegram Allerte',
      settings: { baseUrl: 'https://api.telegram.org', chatId: '@allerte' },
      secrets: { botToken: '123456789:AAFakeTokenForTestsOnly_abcdefghijk' },
    },
    {
      kind: 'x',
      name: 'X Protezione Civile',
      settings: { baseUrl: 'https://api.x.com', handle: 'protciv' },
      secrets: { accessToken: 'segreto' },
    },
  ] as const
  for (const a of accounts) await api.call('channels:create', a)
  const lists: [string, string[]][] = [
    [
      'Genitori — Istituto Checchi',
      ['Nominativo;Cellulare;Comune', 'Giulia Rossi;347 123 4567;Fucecchio'],
    ],
    [
      'Genitori — Istituto Enriques',
      ['Nominativo;Cellulare;Comune', 'Sara Neri;339 123 4567;Castelfiorentino'],
    ],
    [
      'Sindaci e tecnici comunali',
      ['Nominativo;Email;Comune', 'Sindaco di Empoli;sindaco@comune.empoli.example;Empoli'],
    ],
  ]
  for (const [list, rows] of lists)
    await api.call('contacts:import', {
      fileName: 'lista.csv',
      content: csv(rows),
      dryRun: false,
      list,
    })
})
test.afterAll(async () => {
  api.close()
  await host.stop()
  removeDir(host.dataDir)
})

test('a trainer runs the snow scenario at speed, a trainee answers it, the report shows the checkpoints', async ({
  page,
  context,
}) => {
  test.setTimeout(60_000)

  // The trainer makes a drill of the snow scenario in the real room, and opens it.
  await page.goto(host.url + '#/esercitazioni')
  await expect(page.getByText('Pronto: 17 eventi, 9 verifiche')).toBeVisible()
  await page.getByLabel('Scenario').selectOption('neve-arancione-empolese')
  await page.getByLabel('Titolo (facoltativo)').fill('Neve, prova di gennaio')
  await page.getByRole('button', { name: 'Crea esercitazione' }).click()
  await page.getByRole('link', { name: 'Apri l’esercitazione «Neve, prova di gennaio»' }).click()
  await expect(
    page.getByRole('heading', { name: 'Esercitazione: Neve, prova di gennaio' }),
  ).toBeVisible()
  await expect(page.getByRole('note')).toContainText('ESERCITAZIONE')
  await expect(page).toHaveTitle(/ESERCITAZIONE/)
  const drillRoom = page.url().replace(/#.*$/, '#/sala')

  // A trainee is in the drill's room, as on a normal shift.
  const trainee = await context.newPage()
  await trainee.goto(drillRoom)
  await expect(trainee.getByRole('note')).toContainText('ESERCITAZIONE')
  // The drill's room and the trainer's screen are as accessible as the real room.
  await trainee.waitForLoadState('networkidle')
  expect(await axeViolations(trainee)).toEqual([])
  expect(await axeViolations(page)).toEqual([])

  // 60×, then straight to just before the orange bulletin.
  await page.getByLabel('Velocità').fill('60')
  await page.getByRole('button', { name: 'Avvia' }).click()
  await expect(page.getByTestId('drill-state')).toHaveText('In corso')
  await page.getByLabel('Salta a').fill('T+0:59')
  await page.getByRole('button', { name: 'Salta' }).click()
  const fired = page.getByTestId('drill-fired')
  await expect(fired).toContainText('Allerta ARANCIONE per neve', { timeout: 15_000 })
  // The team gets real time to work.
  await page.getByLabel('Velocità').fill('1')
  await expect(page.getByText('1×', { exact: true })).toBeVisible()

  // The trainee sees the upgraded bulletin and prepares the alert from its template.
  const banner = trainee.getByRole('alert').filter({ hasText: 'Bollettino aggravato' })
  await expect(banner).toContainText('Allerta ARANCIONE per neve')
  expect(await axeViolations(trainee)).toEqual([])
  await banner.getByRole('button', { name: 'Prepara allerta' }).click()
  await expect(trainee.getByLabel('Modello')).toHaveValue('neve-arancione')
  for (const name of [/SMS Circondario/, /Email Protezione Civile/, /Facebook Protezione Civile/])
    await trainee.getByRole('checkbox', { name }).check()
  for (const name of [/Genitori — Istituto Checchi/, /Sindaci e tecnici comunali/])
    await trainee.getByRole('checkbox', { name }).check()
  await trainee.getByRole('button', { name: 'Salva la bozza e prepara i testi' }).click()
  await expect(trainee.getByLabel('SMS', { exact: true })).toHaveValue(
    /^ESERCITAZIONE - Limita gli spostamenti e usa gomme invernali o catene: allerta ARANCIONE per neve/,
  )
  await trainee.getByLabel('Scrivi INVIA').fill('INVIA')
  // Nobody is on duty at this desk yet: the confirm box asks who sends.
  await trainee.getByLabel('Chi invia? Nome e cognome').fill('Allieva Giulia')
  await trainee.getByRole('button', { name: 'Invia a tutti i canali' }).click()
  await expect(trainee.getByTestId('alert-status')).toHaveText('Inviata', { timeout: 20_000 })

  // Three citizens answered in the Cittadini panel: each answer reaches its simulated channel.
  await trainee.goto(drillRoom)
  const inbox = trainee.locator('[data-panel="cittadini"]')
  for (const name of ['Lucia M.', 'Franco B.', 'Sara T.']) {
    const message = inbox.getByRole('article', { name: new RegExp(`${name}$`) })
    await message.getByRole('button', { name: `Rispondi a ${name}` }).click()
    await message.getByLabel('Risposta su Facebook').fill('Vale per tutto il Circondario.')
    await message.getByRole('button', { name: 'Invia la risposta' }).click()
    await expect(message.getByTestId('citizen-state')).toHaveText('Risposto')
  }

  // The trainer ends the drill; the report says which checkpoints were met.
  await page.getByRole('button', { name: 'Termina' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Termina' }).click()
  await expect(page.getByTestId('drill-state')).toHaveText('Conclusa')
  const report = page.getByRole('region', { name: 'Rapporto' })
  await report.getByRole('button', { name: 'Mostra il rapporto' }).click()
  const checkpoint = (id: string) => report.locator(`[data-checkpoint="${id}"]`)
  await expect(checkpoint('sms-famiglie-checchi')).toContainText('Rispettato')
  await expect(checkpoint('facebook-arancione')).toContainText('Rispettato')
  await expect(checkpoint('sindaci-arancione')).toContainText('Rispettato')
  await expect(checkpoint('diario-arancione')).toContainText('Mancato')
  await expect(checkpoint('risposte-scuole')).toContainText('Non raggiunto')
  await expect(report.getByTestId('drill-report-citizens')).toContainText(
    '3 ricevuti, 3 con risposta',
  )
  const download = page.waitForEvent('download')
  await report.getByRole('button', { name: 'Scarica HTML' }).click()
  expect((await download).suggestedFilename()).toMatch(/^esercitazione-.*\.html$/)

  // Back to the real room: it kept running, and knows nothing of the drill's alert.
  await page.getByRole('link', { name: 'Torna alla sala reale' }).click()
  await expect(page.getByRole('note')).toHaveCount(0)
  expect(await api.call('alerts:list', {})).toEqual([])
  await expect(page.getByRole('cell', { name: 'Conclusa' })).toBeVisible()
})
