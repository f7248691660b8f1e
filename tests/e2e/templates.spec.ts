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

test('an ICT officer writes a template and sees the SMS turn to UCS-2 when an È is typed', async ({
  page,
}) => {
  await page.goto(host.url)
  await page.getByRole('link', { name: 'Configurazione' }).click()
  await page.getByRole('link', { name: 'Modelli' }).click()
  // The shipped Italian defaults are there.
  await expect(page.getByRole('row', { name: /Neve - allerta arancione/ })).toBeVisible()

  await page.getByRole('button', { name: 'Nuovo modello' }).click()
  await page.getByLabel('Nome del modello').fill('Ghiaccio mattutino')
  await page.getByLabel('Tipo di allerta').selectOption('ghiaccio')
  const sms = page.getByLabel('SMS', { exact: true })
  await sms.fill(
    'Allerta {{livello}} per ghiaccio su {{comuni}} dalle {{dalle}}. Guida con prudenza.',
  )
  const counter = page.getByTestId('counter-sms')
  await expect(counter).toContainText('GSM-7')
  await expect(counter).toContainText('1 SMS')

  await sms.fill(
    'È prevista la formazione di ghiaccio su {{comuni}} dalle {{dalle}}. Guida con prudenza.',
  )
  await expect(counter).toContainText('UCS-2')
  await expect(page.locator('mark.ucs2')).toHaveText('È')
  await expect(page.getByText('Caratteri non GSM (È)')).toBeVisible()

  // A misspelt variable is refused at save time, with the field marked.
  await page.getByLabel('X (Twitter)').fill('Ghiaccio su {{comune}} #allertameteoTOS')
  await page.getByRole('button', { name: 'Salva' }).click()
  await expect(page.getByLabel('X (Twitter)')).toHaveAttribute('aria-invalid', 'true')
  await expect(page.locator('#t-variant-x-err')).toContainText('comune')

  await page.getByLabel('X (Twitter)').fill('Ghiaccio su {{comuni}} #allertameteoTOS')
  await page.getByRole('button', { name: 'Salva' }).click()
  await expect(page.getByRole('status')).toContainText('Modello «Ghiaccio mattutino» salvato.')
  await page.reload()
  await expect(page.getByRole('row', { name: /Ghiaccio mattutino/ })).toBeVisible()
})
