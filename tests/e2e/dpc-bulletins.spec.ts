import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'
import { startFolderServer, type FolderServer } from '../fakes/folder-server'
import { setZoneLevel, writeDpcCriticitaFolder } from '../support/dpc-folder'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

const VALDARNO = [
  'Capraia e Limite',
  'Cerreto Guidi',
  'Empoli',
  'Fucecchio',
  'Montelupo Fiorentino',
  'Vinci',
]
const VALDELSA = ['Castelfiorentino', 'Certaldo', 'Gambassi Terme', 'Montaione', 'Montespertoli']

let host: HostProcess
let folder: string
let server: FolderServer
test.beforeAll(async () => {
  host = await startHostProcess()
  folder = mkdtempSync(join(tmpdir(), 'vedetta-dpc-e2e-'))
  // The real 15:10 bulletin of 20 July 2026, as the DPC lays it out.
  writeDpcCriticitaFolder(folder, ['20260720_1510'])
  server = await startFolderServer(folder)
})
test.afterAll(async () => {
  await host.stop()
  removeDir(host.dataDir)
  await server.close()
  removeDir(folder)
})

test('a DPC bulletin served from its published files raises the banner for our comuni, and its errata proposes one draft per zone level', async ({
  page,
}) => {
  await page.goto(host.url)
  await page.getByRole('link', { name: 'Configurazione' }).click()
  await page.getByRole('link', { name: 'Fonti' }).click()
  await page.getByRole('button', { name: 'Aggiungi fonte' }).click()
  await page.getByLabel('Nome').fill('DPC criticità')
  await page.getByLabel('Formato').selectOption('dpc_criticita')
  await expect(page.getByText('Il repository del DPC')).toBeVisible()
  await page.getByLabel('Indirizzo del feed').fill(server.url('/web/'))
  // The test publisher is on loopback: ICT marks it «rete interna».
  await page.getByLabel('Rete interna').check()
  await page
    .getByRole('form', { name: 'Fonte di bollettini' })
    .getByRole('button', { name: 'Salva' })
    .click()
  await page.getByRole('button', { name: 'Leggi ora DPC criticità' }).click()
  await expect(page.getByRole('status')).toContainText('1 bollettini nuovi')

  // Tomorrow both our zones are yellow for thunderstorms and hydrogeological risk.
  const first = page.getByRole('alert').filter({ hasText: 'Nuovo bollettino per le nostre zone' })
  await expect(first).toBeVisible()
  await expect(first).toContainText('Bollettino di criticità')
  await expect(first.getByRole('list', { name: 'Cosa cambia per i nostri comuni' })).toContainText(
    `${[...VALDARNO.slice(0, 1), 'Castelfiorentino'].join(', ')}`,
  )
  await expect(first).toContainText('temporali gialla, domani')

  // An errata of the same evening: Valdarno Inf. orange for hydraulic risk tomorrow.
  writeDpcCriticitaFolder(folder, ['20260720_1510', '20260720_2331'], (stem, day, g) =>
    stem === '20260720_2331' && day === 'tomorrow'
      ? setZoneLevel(g, 'Valdarno Inf.', 'Per rischio idraulico', 'Moderata / ALLERTA ARANCIONE')
      : g,
  )
  await page.getByRole('button', { name: 'Leggi ora DPC criticità' }).click()
  const update = page.getByRole('alert').filter({ hasText: 'Bollettino aggravato' })
  await expect(update).toBeVisible()
  // One banner per bulletin: the update replaces the first one.
  await expect(first).toHaveCount(0)
  await expect(update.getByRole('listitem')).toHaveText([
    `${VALDARNO.join(', ')}: idraulico da verde ad arancione, domani`,
  ])

  // One draft per group of comuni: orange for the Valdarno, yellow for the Valdelsa.
  await update
    .getByRole('button', { name: `Prepara allerta (livello Arancione): ${VALDARNO.join(', ')}` })
    .click()
  await expect(page.getByRole('heading', { name: 'Nuova allerta' })).toBeVisible()
  await expect(page.getByLabel('Tipo di allerta')).toHaveValue('idraulico')
  await expect(page.getByLabel('Livello')).toHaveValue('arancione')
  for (const c of VALDARNO)
    await expect(page.getByRole('checkbox', { name: c, exact: true })).toBeChecked()
  for (const c of VALDELSA)
    await expect(page.getByRole('checkbox', { name: c, exact: true })).not.toBeChecked()
  await expect(page.getByLabel('Titolo')).toHaveValue('Allerta arancione per rischio idraulico')

  await page
    .getByRole('link', { name: new RegExp(`Livello Giallo, .*: ${VALDELSA.join(', ')}`) })
    .click()
  await expect(page.getByLabel('Livello')).toHaveValue('giallo')
  await expect(page.getByLabel('Tipo di allerta')).toHaveValue('pioggia')
  for (const c of VALDELSA)
    await expect(page.getByRole('checkbox', { name: c, exact: true })).toBeChecked()
  for (const c of VALDARNO)
    await expect(page.getByRole('checkbox', { name: c, exact: true })).not.toBeChecked()
  await expect(page.getByLabel('Titolo')).toHaveValue(
    'Allerta gialla per rischio idrogeologico e temporali',
  )

  // In the room, the bulletin shows its levels per zone, day and risk, in words.
  await page.getByRole('link', { name: 'Sala' }).click()
  const panel = page.locator('[data-panel="bollettini"]')
  await panel.getByRole('button', { name: 'Dettagli' }).first().click()
  const table = panel.getByRole('table', { name: 'Livelli per zona, giorno e rischio' })
  await expect(
    table
      .getByRole('row', { name: /Valdarno Inf\. Domani/ })
      .getByRole('cell')
      .nth(1),
  ).toHaveText('Arancione')
  await expect(panel.getByRole('link', { name: 'Allegato PDF' })).toBeVisible()
  // The banner, the zones table and the card pass axe-core's WCAG 2.1 AA rules.
  const axe = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  expect(
    axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([])
})
