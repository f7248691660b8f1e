import { expect, test } from '@playwright/test'
import type { FakeSmsGateway } from '../fakes/sms-gateway-fake'
import type { HostApi } from '../support/host-api'
import type { HostProcess } from '../support/host-process'
import { startSendingRoom, stopSendingRoom } from '../support/sending-room'

let host: HostProcess
let gateway: FakeSmsGateway
let api: HostApi

const families = [
  'Nominativo;Cellulare;Comune;Ruolo',
  'Giulia Rossi;347 123 4567;Empoli;genitore',
  'Marco Bianchi;+39 348 765 4321;Vinci;genitore',
  'Sara Neri;0039 3391234567;Certaldo;genitore',
  'Ufficio scuola;0571 757111;Empoli;personale scolastico',
].join('\r\n')

test.beforeAll(async () => {
  ;({ host, gateway, api } = await startSendingRoom({
    familiesCsv: families,
    list: 'Genitori — Istituto Checchi',
    settings: {
      cancelWindowSeconds: 3,
      link: 'https://www.empolese-valdelsa.it/allerta',
    },
  }))
})
test.afterAll(() => stopSendingRoom({ host, gateway, api }))

test('an operator sends an orange snow alert to three comuni and watches it delivered', async ({
  page,
}) => {
  test.setTimeout(90_000)
  await page.goto(host.url)
  await page.getByRole('link', { name: 'Consegne' }).click()
  await page.getByRole('main').getByRole('link', { name: 'Nuova allerta' }).click()
  await page.getByLabel('Tipo di allerta').selectOption('neve')
  await page.getByLabel('Livello').selectOption('arancione')
  await expect(page.getByLabel('Modello')).toHaveValue('neve-arancione')
  for (const c of ['Empoli', 'Vinci', 'Certaldo'])
    await page.getByRole('checkbox', { name: c, exact: true }).check()
  await page.getByLabel('Titolo').fill('Allerta arancione per neve')
  await page.getByRole('checkbox', { name: /SMS famiglie/ }).check()
  await page.getByRole('checkbox', { name: /Genitori — Istituto Checchi/ }).check()
  await page.getByRole('button', { name: 'Salva la bozza e prepara i testi' }).click()

  // The preview: the template's SMS with the three comuni, who gets it, who is skipped and why, the cost.
  const sms = page.getByLabel('SMS', { exact: true })
  await expect(sms).toHaveValue(/allerta ARANCIONE per neve su .*Empoli.*Vinci.*Certaldo/)
  await expect(page.getByTestId('alert-counter-sms')).toContainText('GSM-7')
  const preview = page.getByRole('region', { name: 'Anteprima dell’invio' })
  await expect(preview).toContainText('3 messaggi')
  await expect(preview).toContainText('1 numeri fissi (non ricevono SMS)')
  await expect(preview).toContainText('costo stimato')

  // A deliberate confirmation, then a short window to cancel.
  const send = page.getByRole('button', { name: 'Invia a tutti i canali' })
  await expect(send).toBeDisabled()
  await page.getByLabel('Scrivi INVIA').fill('INVIA')
  // Nobody is on duty at this desk yet: the confirm box asks who sends.
  await page.getByLabel('Chi invia? Nome e cognome').fill('Giulia Neri')
  await send.click()
  await expect(page.getByRole('timer')).toContainText('Partenza tra')

  // Then it goes out, and the receipts bring it to delivered.
  const bar = page.getByRole('progressbar', { name: 'Avanzamento di SMS famiglie' })
  await expect(bar).toHaveAttribute('aria-valuetext', '3 inviati su 3, 3 consegnati', {
    timeout: 60_000,
  })
  await expect(page.getByTestId('alert-status')).toHaveText('Inviata')
  expect(gateway.orders.flatMap((o) => o.recipients).sort()).toEqual([
    '+393391234567',
    '+393471234567',
    '+393487654321',
  ])
})
