import { expect, test } from '@playwright/test'
import { startFakeMastodon, type FakeMastodon } from '../fakes/mastodon-fake'
import type { FakeSmsGateway } from '../fakes/sms-gateway-fake'
import type { HostApi } from '../support/host-api'
import type { HostProcess } from '../support/host-process'
import { startSendingRoom, stopSendingRoom } from '../support/sending-room'

/**
 * The map card from the composer to the post: an orange alert for three comuni shows, in
 * the preview, the card its posts will carry with its alt text; sent from the page, the
 * Mastodon instance (a loopback fake) receives that picture with that very text as its
 * description, and the status names the picture.
 */

let host: HostProcess
let gateway: FakeSmsGateway
let api: HostApi
let mastodon: FakeMastodon
const families = [
  'Nominativo;Cellulare;Comune',
  'Giulia Rossi;347 123 4567;Empoli',
  'Marco Bianchi;348 765 4321;Vinci',
  'Anna Verdi;349 111 2233;Cerreto Guidi',
].join('\r\n')

test.beforeAll(async () => {
  ;({ host, gateway, api } = await startSendingRoom({ familiesCsv: families, list: 'Famiglie' }))
  mastodon = await startFakeMastodon()
  await api.call('channels:create', {
    kind: 'mastodon',
    name: 'Mastodon PC',
    enabled: true,
    settings: { baseUrl: mastodon.url, visibility: 'public' },
    secrets: { accessToken: mastodon.token },
  })
})
test.afterAll(async () => {
  await stopSendingRoom({ host, gateway, api })
  await mastodon.close()
})

test('an orange alert for three comuni shows its map in the preview, and the post carries it with its alt text', async ({
  page,
}) => {
  test.setTimeout(90_000)
  const accounts = await api.call('channels:list', {})
  const list = (await api.call('lists:list', {})).find((l) => l.name === 'Famiglie')!
  const alert = await api.call('alerts:createDraft', {
    draft: {
      kind: 'idraulico',
      level: 'arancione',
      comuni: ['Empoli', 'Vinci', 'Cerreto Guidi'].map((name) => ({ name })),
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      headline: 'Possibili esondazioni dell’Arno',
      texts: {
        sms: 'Allontanati dagli argini: allerta arancione per rischio idraulico.',
        mastodon: 'Allontanati dagli argini: allerta arancione per rischio idraulico.',
      },
      targets: { accountIds: accounts.map((a) => a.id), listIds: [list.id] },
    },
  })

  await page.setViewportSize({ width: 1366, height: 900 })
  await page.goto(host.url + `#/allerta/${alert.id}`)
  const preview = page.getByRole('region', { name: 'Anteprima dell’invio' })
  const img = preview.getByTestId('preview-map').locator('img')
  await expect(img).toHaveAttribute('alt', /Cerreto Guidi, Empoli e Vinci in arancione/)
  const alt = (await img.getAttribute('alt'))!

  await page.getByLabel('Scrivi INVIA').fill('INVIA')
  await page.getByLabel('Chi invia? Nome e cognome').fill('Giulia Neri')
  await page.getByRole('button', { name: 'Invia a tutti i canali' }).click()
  await expect(page.getByTestId('alert-status')).toHaveText('Inviata', { timeout: 60_000 })

  // One picture, a PNG, described with the words the preview showed; one status naming it.
  await expect.poll(() => mastodon.statuses.length, { timeout: 30_000 }).toBe(1)
  expect(mastodon.media).toHaveLength(1)
  const [picture] = mastodon.media
  expect(picture!.type).toBe('image/png')
  expect(picture!.bytes.subarray(0, 8)).toEqual(
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  )
  expect(picture!.description).toBe(alt)
  expect(mastodon.statuses[0]!.mediaIds).toEqual([picture!.id])
  expect(mastodon.statuses[0]!.text).toContain('Allontanati dagli argini')
  // The families got their SMS beside it.
  await expect.poll(() => gateway.orders.length, { timeout: 30_000 }).toBeGreaterThan(0)
})
