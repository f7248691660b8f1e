import { expect, test } from '@playwright/test'
import type { FakeSmsGateway } from '../fakes/sms-gateway-fake'
import { connectHostApi, type HostApi } from '../support/host-api'
import { startHostProcess, type HostProcess } from '../support/host-process'
import { startSendingRoom, stopSendingRoom } from '../support/sending-room'

let host: HostProcess
let gateway: FakeSmsGateway
let api: HostApi

const families = [
  'Nominativo;Cellulare;Comune',
  'Giulia Rossi;347 123 4567;Empoli',
  'Marco Bianchi;+39 348 765 4321;Vinci',
  'Sara Neri;0039 3391234567;Certaldo',
].join('\r\n')

test.beforeAll(async () => {
  ;({ host, gateway, api } = await startSendingRoom({ familiesCsv: families, list: 'Famiglie' }))
})
test.afterAll(() => stopSendingRoom({ host, gateway, api }))

async function scheduledAlert(cancelWindowSeconds: number) {
  const [account] = await api.call('channels:list', {})
  const list = (await api.call('lists:list', {})).find((l) => l.name === 'Famiglie')!
  const alert = await api.call('alerts:createDraft', {
    draft: {
      kind: 'neve',
      level: 'arancione',
      comuni: [{ name: 'Empoli' }, { name: 'Vinci' }, { name: 'Certaldo' }],
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      headline: 'Allerta arancione per neve',
      texts: {
        sms: 'Allerta ARANCIONE neve su Empoli, Vinci e Certaldo: evitate gli spostamenti.',
      },
      targets: { accountIds: [account!.id], listIds: [list.id] },
    },
  })
  return api.call('alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds })
}

test('the page recovers by itself when the host is killed and started again', async ({ page }) => {
  test.setTimeout(90_000)
  await page.goto(host.url + '#/sala')
  await page.getByRole('button', { name: 'Cambia' }).click()
  await page.getByLabel('Nome e cognome').fill('Giulia Neri')
  await page.getByRole('button', { name: 'Conferma' }).click()
  const badge = page.getByTestId('connection')
  await expect(badge).toHaveText('Connesso')

  // An alert waits in its cancel window, on the board of the Consegne panel.
  const { alert } = await scheduledAlert(8)
  const deliveries = page.locator('[data-panel="consegne"]')
  const bar = deliveries.getByRole('progressbar', { name: 'Avanzamento di SMS famiglie' })
  await expect(bar).toHaveAttribute('aria-valuetext', '0 inviati su 3, 0 consegnati')
  await page.evaluate(() => ((globalThis as { sameDocument?: boolean }).sameDocument = true))

  // The host dies as in a crash; its window ends while nobody serves.
  const { url, dataDir } = host
  api.close()
  await host.kill()
  await expect(badge).toHaveText('Connessione persa: riprovo…')
  await expect(page.locator('.mode-badge').first()).toHaveClass(/mode-badge--stale/)

  // A note written meanwhile waits, and says so.
  const journal = page.locator('[data-panel="diario"]')
  await page.getByLabel('Nota per il diario').fill('Sala senza rete: sentito il COC di Vinci.')
  await page.getByRole('button', { name: 'Scrivi nel diario' }).click()
  const waiting = journal.locator('[data-note-state="sending"]')
  await expect(waiting).toContainText('Sala senza rete: sentito il COC di Vinci.')
  await expect(waiting).toContainText('Non connesso: la nota sarà scritta nel diario')
  await page.waitForTimeout(Math.max(0, alert.sendAfter! - Date.now()) + 500)

  // Started again on the same workspace: same address (token and port), no new URL for the page.
  host = await startHostProcess(dataDir, 'remembered')
  expect(host.url).toBe(url)
  api = await connectHostApi(host.url)

  await expect(badge).toHaveText('Connesso', { timeout: 15_000 })
  await expect(page.locator('.mode-badge').first()).not.toHaveClass(/mode-badge--stale/)
  // The note went out once connected, once, under the operator's name.
  await expect(journal.locator('[data-note-state]')).toHaveCount(0)
  await expect(journal.getByText('Sala senza rete: sentito il COC di Vinci.')).toHaveCount(1)
  const notes = (await api.call('journal:list', { limit: 50 })).filter((e) =>
    e.text.startsWith('Sala senza rete'),
  )
  expect(notes.map((n) => n.actor)).toEqual(['Giulia Neri'])

  // The board ends as the core says: all three sent by the restarted host, then delivered.
  await expect(bar).toHaveAttribute('aria-valuetext', '3 inviati su 3, 3 consegnati', {
    timeout: 60_000,
  })
  const truth = await api.call('alerts:progress', { id: alert.id })
  expect(truth.totals).toMatchObject({ total: 3, delivered: 3 })
  expect(gateway.orders.flatMap((o) => o.recipients)).toHaveLength(3)
  // Recovered in place: never reloaded.
  expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(
    true,
  )
})

test('a page whose token was replaced says so instead of retrying in silence', async ({ page }) => {
  await page.goto(host.url + '#/sala')
  const badge = page.getByTestId('connection')
  await expect(badge).toHaveText('Connesso')
  const { url, dataDir } = host
  api.close()
  await host.stop()
  host = await startHostProcess(dataDir, 'remembered', ['--new-token'])
  expect(new URL(host.url).port).toBe(new URL(url).port)
  expect(host.url).not.toBe(url)
  api = await connectHostApi(host.url)
  await expect(badge).toHaveText(/Questa pagina non è più autorizzata/, { timeout: 15_000 })
  // The new address works at once.
  await page.goto(host.url + '#/sala')
  await expect(badge).toHaveText('Connesso')
})
