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

test('an ICT officer configures an SMS gateway account end to end', async ({ page }) => {
  const secret = 'S3gret0-Gateway-Password'
  await page.goto(host.url)
  await expect(page.getByRole('navigation', { name: 'Navigazione principale' })).toBeVisible()
  await page.getByRole('link', { name: 'Configurazione' }).click()
  await expect(page.getByRole('heading', { name: 'Canali', level: 2 })).toBeVisible()
  await expect(page.getByText('Nessun canale configurato')).toBeVisible()

  // Add an SMS gateway account with its password.
  await page.getByRole('button', { name: 'Aggiungi canale' }).click()
  await page.getByLabel('Tipo di canale').selectOption('sms_gateway')
  await page.getByLabel('Nome', { exact: true }).fill('SMS scuole')
  await page.getByLabel('URL di base dell’API').fill('https://gateway.example.it/API/v1.0/REST/')
  await page.getByLabel('Nome utente').fill('circondario')
  await page.getByLabel('Mittente (alias)').fill('ProtCivile')
  await page.getByLabel('Password').fill(secret)
  await page.getByRole('button', { name: 'Salva' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Canale «SMS scuole» salvato.' }),
  ).toBeVisible()

  // After a reload the account is there, its secret is only "set", never shown.
  await page.reload()
  const row = page.getByRole('row', { name: /SMS scuole/ })
  await expect(row).toContainText('SMS — gateway REST')
  await expect(row).toContainText('Password: impostata')
  await expect(page.locator('body')).not.toContainText(secret)

  // Edit: the password field is empty, with a hint that it is already set.
  await page.getByRole('button', { name: 'Modifica SMS scuole' }).click()
  const password = page.getByLabel('Password')
  await expect(password).toHaveValue('')
  await expect(password).toHaveAttribute('placeholder', /Già impostata/)
  expect(await page.content()).not.toContain(secret)

  // An invalid URL gets a field-level message and nothing is saved.
  await page.getByLabel('URL di base dell’API').fill('gateway senza schema')
  await page.getByRole('button', { name: 'Salva' }).click()
  const url = page.getByLabel('URL di base dell’API')
  await expect(url).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('#err-settings-baseUrl')).toContainText('Indirizzo non valido')

  // Fix it and rename: saved, and the password was kept.
  await url.fill('https://gateway2.example.it/API/v1.0/REST/')
  await page.getByLabel('Nome', { exact: true }).fill('SMS scuole e famiglie')
  await page.getByRole('button', { name: 'Salva' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'salvato' })).toBeVisible()
  await expect(page.getByRole('row', { name: /SMS scuole e famiglie/ })).toContainText(
    'Password: impostata',
  )

  // Delete, with a confirmation.
  await page.getByRole('button', { name: 'Elimina SMS scuole e famiglie' }).click()
  await page.getByRole('button', { name: 'Sì, elimina' }).click()
  await expect(page.getByText('Nessun canale configurato')).toBeVisible()
  await page.reload()
  await expect(page.getByText('Nessun canale configurato')).toBeVisible()
})

test('the interface switches to English', async ({ page }) => {
  await page.goto(host.url)
  await page.getByLabel('Lingua').selectOption('en')
  await expect(page.getByRole('navigation', { name: 'Main navigation' })).toBeVisible()
  await page.getByRole('link', { name: 'Configuration' }).click()
  await expect(page.getByRole('button', { name: 'Add channel' })).toBeVisible()
})

test('the page and the socket refuse a missing or wrong token', async ({ page, request }) => {
  const base = host.url.split('?')[0]!
  expect((await request.get(base)).status()).toBe(401)
  expect((await request.get(`${base}?token=wrong`)).status()).toBe(401)
  // A page from elsewhere cannot open the socket even with a guessed path.
  await page.goto('about:blank')
  const outcome = await page.evaluate(
    async (wsUrl) => {
      return new Promise<string>((resolve) => {
        const ws = new WebSocket(wsUrl)
        ws.onopen = () => resolve('open')
        ws.onerror = () => resolve('refused')
      })
    },
    `${base.replace('http', 'ws')}ws?token=wrong`,
  )
  expect(outcome).toBe('refused')
})
