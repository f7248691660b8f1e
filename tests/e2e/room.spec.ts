import { expect, test } from '@playwright/test'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

let host: HostProcess
test.beforeAll(async () => {
  host = await startHostProcess()
})
test.afterAll(async () => {
  await host.stop()
  removeDir(host.dataDir)
})

test('the operator on duty arranges the room and the layout survives a restart', async ({
  page,
}) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Cambia' }).click()
  await page.getByLabel('Nome e cognome').fill('Giulia Neri')
  await page.getByRole('button', { name: 'Conferma' }).click()
  await expect(page.getByRole('banner')).toContainText('Giulia Neri')

  await page.getByRole('link', { name: 'Sala' }).click()
  const panels = page.locator('[data-panel]')
  await expect(panels).toHaveCount(6) // the "Allerta" layout
  await page.getByLabel('Disposizione').selectOption('pace')
  await expect(panels).toHaveCount(3)
  await page.getByRole('button', { name: 'Sposta Diario a sinistra' }).click()
  await page.getByLabel('Aggiungi pannello').selectOption('consegne')
  await page.getByRole('button', { name: 'Aggiungi', exact: true }).click()
  const resizer = page.getByRole('separator', { name: 'Larghezza di Stato' })
  await resizer.focus()
  await page.keyboard.press('Shift+ArrowRight')
  await expect(resizer).toHaveAttribute('aria-valuenow', '460')
  const order = async () =>
    page.locator('[data-panel]').evaluateAll((els) => els.map((e) => e.getAttribute('data-panel')))
  expect(await order()).toEqual(['stato', 'diario', 'bollettini', 'consegne'])

  // A note and a handover go into the journal, signed by the operator.
  await page
    .getByLabel('Nota per il diario')
    .fill('Chiamata dal sindaco di Vinci: strade chiuse in località Sovigliana.')
  await page.getByRole('button', { name: 'Scrivi nel diario' }).click()
  const journal = page.locator('[data-panel="diario"]')
  await expect(journal).toContainText('Sovigliana')
  await expect(journal).toContainText('Giulia Neri')
  await page.getByRole('button', { name: 'Passaggio di consegne' }).click()
  await page.getByLabel('A chi passi il turno').fill('Marco Bini')
  await page
    .getByLabel('Cose aperte (una per riga)')
    .fill('Richiamare il sindaco di Vinci\nVerificare SMS non consegnati')
  await page.getByRole('button', { name: 'Registra il passaggio' }).click()
  await expect(journal).toContainText('Turno passato da Giulia Neri a Marco Bini')
  await expect(journal).toContainText('Verificare SMS non consegnati')

  // Restart the host on the same port (same origin): the layout comes back for this operator.
  const port = Number(new URL(host.url).port)
  await host.stop()
  host = await startHostProcess(host.dataDir, port)
  await page.goto(host.url + '#/sala')
  await expect(page.getByRole('banner')).toContainText('Giulia Neri')
  await expect(page.locator('[data-panel]')).toHaveCount(4)
  expect(await order()).toEqual(['stato', 'diario', 'bollettini', 'consegne'])
  await expect(page.getByRole('separator', { name: 'Larghezza di Stato' })).toHaveAttribute(
    'aria-valuenow',
    '460',
  )
  await expect(page.locator('[data-panel="diario"]')).toContainText('Sovigliana')
})

test('a keyboard user keeps the focus when moving and closing panels', async ({ page }) => {
  await page.goto(host.url + '#/sala')
  await page.getByLabel('Disposizione').selectOption('pace')
  const order = async () =>
    page.locator('[data-panel]').evaluateAll((els) => els.map((e) => e.getAttribute('data-panel')))
  const first = (await order())[0]!
  const second = (await order())[1]!
  const names: Record<string, string> = {
    stato: 'Stato',
    diario: 'Diario',
    bollettini: 'Bollettini',
  }
  // Moved to the far left, the left arrow is disabled: the focus passes to the right one.
  await page.getByRole('button', { name: `Sposta ${names[second]} a sinistra` }).click()
  await expect(page.getByRole('button', { name: `Sposta ${names[second]} a destra` })).toBeFocused()
  // Closed, it hands the focus to the heading of the panel now in its place.
  await page.getByRole('button', { name: `Chiudi ${names[second]}` }).click()
  await expect(page.getByRole('heading', { name: names[first], exact: true })).toBeFocused()
  // The last one closed: the focus goes to the control that adds a panel.
  for (const kind of await order())
    await page.getByRole('button', { name: `Chiudi ${names[kind]}` }).click()
  await expect(page.getByLabel('Aggiungi pannello')).toBeFocused()
  await page.getByLabel('Disposizione').selectOption('allerta')
})

test('the wall layout is read-only', async ({ page }) => {
  await page.goto(host.url + '#/sala')
  // The operator's saved layout is read when the page opens: choose once it is there.
  await expect(page.locator('[data-panel]')).toHaveCount(6)
  await expect(async () => {
    await page.getByLabel('Disposizione').selectOption('parete')
    await expect(page.getByText('Schermo a parete: sola lettura')).toBeVisible({ timeout: 1_000 })
  }).toPass({ timeout: 10_000 })
  await expect(page.getByRole('button', { name: /Chiudi/ })).toHaveCount(0)
  await expect(page.getByRole('separator')).toHaveCount(0)
})

test('a keyboard user skips the header and the navigation in one step', async ({ page }) => {
  await page.goto(host.url + '#/sala')
  await expect(page.getByRole('main')).toBeVisible()
  await page.keyboard.press('Tab')
  const skip = page.getByRole('button', { name: 'Vai al contenuto' })
  await expect(skip).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('main')).toBeFocused()
  // The route did not change: the skip link moves focus, not the page.
  expect(page.url()).toMatch(/#\/sala$/)
})
