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

test('a new workspace says what to do first, and each step is done when it really is', async ({
  page,
}) => {
  await page.goto(host.url + '#/sala')
  const steps = page.getByRole('region', { name: 'Primi passi' })
  // The Circondario's comuni come with their alert zones: five steps are left.
  await expect(steps).toContainText('mancano 5 passi')
  await expect(steps.locator('[data-step="zones"]')).toHaveAttribute('data-done', 'yes')
  await expect(steps.locator('[data-step="ente"]')).toHaveAttribute('data-done', 'no')

  // The ente's details are asked right in the Sala, prefilled with what the workspace holds.
  await steps.getByRole('button', { name: 'Inseriscili qui' }).click()
  const ente = steps.getByRole('form', { name: 'Dati dell’ente' })
  await expect(ente.getByLabel('Nome dell’ente')).toHaveValue('Protezione civile Empolese Valdelsa')
  await ente.getByLabel('Link degli aggiornamenti').fill('non è un indirizzo')
  await ente.getByRole('button', { name: 'Salva i dati dell’ente' }).click()
  await expect(ente.getByRole('alert')).toBeVisible()
  await expect(steps.locator('[data-step="ente"]')).toHaveAttribute('data-done', 'no')
  await ente.getByLabel('Link degli aggiornamenti').fill('https://www.empolese-valdelsa.it/allerta')
  await ente.getByRole('button', { name: 'Salva i dati dell’ente' }).click()
  await expect(steps).toContainText('mancano 4 passi')
  await expect(steps.locator('[data-step="ente"]')).toHaveAttribute('data-done', 'yes')
  await expect(ente).toHaveCount(0)

  // Each step leads to its screen, where what was saved is shown.
  await steps.getByRole('link', { name: 'Dati dell’ente e link degli aggiornamenti' }).click()
  await expect(page).toHaveURL(/#\/configurazione\/ente$/)
  await expect(page.getByLabel(/Link degli aggiornamenti/)).toHaveValue(
    'https://www.empolese-valdelsa.it/allerta',
  )
  await page.getByRole('link', { name: 'Sala' }).click()
  await expect(steps).toContainText('mancano 4 passi')

  // Hidden on this machine, it stays hidden after a reload.
  await steps.getByRole('button', { name: 'Nascondi su questo computer' }).click()
  await expect(steps).toHaveCount(0)
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Sala' })).toBeVisible()
  await expect(steps).toHaveCount(0)
})
