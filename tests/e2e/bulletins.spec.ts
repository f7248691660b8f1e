import { expect, test } from '@playwright/test'
import { startFeedServer, type FeedServer } from '../fakes/feed-server'
import { italianCap } from '../support/bulletins'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

let host: HostProcess
let feeds: FeedServer
test.beforeAll(async () => {
  host = await startHostProcess()
  feeds = await startFeedServer()
})
test.afterAll(async () => {
  await host.stop()
  removeDir(host.dataDir)
  await feeds.close()
})

test('a bulletin for our zones appears in Bollettini and raises the alert banner', async ({
  page,
}) => {
  feeds.setDocument(
    'cfr.xml',
    italianCap({ identifier: 'cfr-neve-e2e', level: 'arancione' }),
    'application/xml',
  )
  await page.goto(host.url)
  await page.getByRole('link', { name: 'Configurazione' }).click()
  await page.getByRole('link', { name: 'Fonti' }).click()
  await page.getByRole('button', { name: 'Aggiungi fonte' }).click()
  await page.getByLabel('Nome').fill('Centro funzionale')
  await page.getByLabel('Formato').selectOption('cap')
  await page.getByLabel('Indirizzo del feed').fill('non un indirizzo')
  await page
    .getByRole('form', { name: 'Fonte di bollettini' })
    .getByRole('button', { name: 'Salva' })
    .click()
  await expect(page.locator('#fs-url-err')).toContainText('Indirizzo non valido')
  await page.getByLabel('Indirizzo del feed').fill(feeds.url('/doc/cfr.xml'))
  // The test publisher is on loopback: ICT marks it «rete interna».
  await page.getByLabel('Rete interna').check()
  await page.getByLabel('Zone nostre (una per riga)').fill('EMMA_ID:IT009')
  await page
    .getByRole('form', { name: 'Fonte di bollettini' })
    .getByRole('button', { name: 'Salva' })
    .click()
  await expect(page.getByRole('row', { name: /Centro funzionale/ })).toBeVisible()

  await page.getByRole('link', { name: 'Sala' }).click()
  await page.getByRole('link', { name: 'Configurazione' }).click()
  await page.getByRole('link', { name: 'Fonti' }).click()
  await page.getByRole('button', { name: 'Leggi ora Centro funzionale' }).click()
  await expect(page.getByRole('status')).toContainText('1 bollettini nuovi')

  // The banner shows on every screen, with its level labelled for what it is.
  const banner = page.getByRole('alert').filter({ hasText: 'Nuovo bollettino per le nostre zone' })
  await expect(banner).toBeVisible()
  await expect(banner).toContainText('Allerta arancione per neve')

  await page.getByRole('link', { name: 'Sala' }).click()
  const panel = page.locator('[data-panel="bollettini"]')
  await expect(panel.getByRole('article').first()).toContainText(
    'Allerta arancione per neve: Empoli, Vinci, Certaldo',
  )
  // The regional centre's own level, not a MeteoAlarm colour; the sample's dates are past.
  await expect(panel).toContainText('Livello indicato dalla fonte: Arancione')
  await expect(panel).not.toContainText('MeteoAlarm')
  await expect(panel).toContainText('scaduto')
  await panel.getByRole('button', { name: 'Dettagli' }).first().click()
  await expect(panel).toContainText('Nevicate anche a quote di pianura')

  // Its draft opens prefilled: kind, level, comuni, validity and the matching template.
  await banner.getByRole('button', { name: 'Prepara allerta' }).click()
  await expect(page.getByRole('heading', { name: 'Nuova allerta' })).toBeVisible()
  await expect(page.getByRole('status')).toContainText('Bozza precompilata dal bollettino')
  await expect(page.getByLabel('Tipo di allerta')).toHaveValue('neve')
  await expect(page.getByLabel('Livello')).toHaveValue('arancione')
  await expect(page.getByLabel('Modello')).toHaveValue('neve-arancione')
  for (const c of ['Empoli', 'Vinci', 'Certaldo'])
    await expect(page.getByRole('checkbox', { name: c, exact: true })).toBeChecked()
  await expect(page.getByRole('checkbox', { name: 'Fucecchio', exact: true })).not.toBeChecked()
  await expect(page.getByLabel('Valida dalle')).toHaveValue(/^2026-02-07T\d\d:00$/)
  await expect(page.getByLabel('Titolo')).toHaveValue(
    'Allerta arancione per neve: Empoli, Vinci, Certaldo',
  )
})
