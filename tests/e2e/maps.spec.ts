import { expect, test, type Locator } from '@playwright/test'
import type { FakeSmsGateway } from '../fakes/sms-gateway-fake'
import type { HostApi } from '../support/host-api'
import type { HostProcess } from '../support/host-process'
import { startSendingRoom, stopSendingRoom } from '../support/sending-room'

/**
 * The map in a real browser, under the room's own Content-Security-Policy: Stato
 * shows the Circondario's comuni as an image that loads (a `data:` picture, never
 * markup), redrawn when an alert comes into force; the composer's preview shows
 * the card the posts carry with its alt text.
 */

let host: HostProcess
let gateway: FakeSmsGateway
let api: HostApi
const families = [
  'Nominativo;Cellulare;Comune',
  'Giulia Rossi;347 123 4567;Empoli',
  'Marco Bianchi;348 765 4321;Vinci',
].join('\r\n')

test.beforeAll(async () => {
  ;({ host, gateway, api } = await startSendingRoom({ familiesCsv: families, list: 'Famiglie' }))
})
test.afterAll(() => stopSendingRoom({ host, gateway, api }))

async function draft(level: 'giallo' | 'arancione', comuni: string[]) {
  const [account] = await api.call('channels:list', {})
  const list = (await api.call('lists:list', {})).find((l) => l.name === 'Famiglie')!
  return api.call('alerts:createDraft', {
    draft: {
      kind: 'idraulico',
      level,
      comuni: comuni.map((name) => ({ name })),
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      headline: 'Possibili esondazioni dell’Arno',
      texts: { sms: 'Allerta idraulica: state lontani dagli argini.' },
      targets: { accountIds: [account!.id], listIds: [list.id] },
    },
  })
}

/** The SVG inside an image's `data:` URL. */
async function svgOf(img: Locator): Promise<string> {
  const src = (await img.getAttribute('src')) ?? ''
  expect(src.startsWith('data:image/svg+xml')).toBe(true)
  return decodeURIComponent(src.slice(src.indexOf(',') + 1))
}

/** The picture was decoded and drawn: the page's policy let it in. */
const loaded = (img: Locator) =>
  img.evaluate((e) => {
    // An HTMLImageElement (the Node project that checks this file has no DOM types).
    const image = e as unknown as { complete: boolean; naturalWidth: number }
    return image.complete ? image.naturalWidth : 0
  })

test('Stato shows the real map, and redraws it when an alert comes into force', async ({
  page,
}, info) => {
  const refused: string[] = []
  page.on('console', (m) => m.type() === 'error' && refused.push(m.text()))
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto(host.url + '#/sala')
  await page.getByLabel('Disposizione').selectOption('allerta')
  const stato = page.locator('[data-panel="stato"]')
  const img = stato.getByTestId('comuni-map').locator('img')
  await expect(img).toHaveAttribute('alt', /11 comuni in verde/)
  expect(await loaded(img)).toBeGreaterThan(0)
  const panel = await stato.boundingBox()
  const picture = await img.boundingBox()
  expect(picture!.width).toBeGreaterThan(200)
  expect(picture!.x + picture!.width).toBeLessThanOrEqual(panel!.x + panel!.width)

  const alert = await draft('arancione', ['Empoli', 'Vinci'])
  await api.call('alerts:confirm', {
    id: alert.id,
    confirmation: 'INVIA',
    cancelWindowSeconds: 600,
  })
  await expect(img).toHaveAttribute(
    'alt',
    'Mappa dei comuni del Circondario con il livello di allerta in vigore: Empoli: Arancione; Vinci: Arancione; 9 comuni in verde.',
  )
  expect(await svgOf(img)).toMatch(/data-name="Empoli" data-level="arancione"/)
  expect(await loaded(img)).toBeGreaterThan(0)
  await expect(stato.locator('li[data-comune="Empoli"] .level')).toHaveText('Arancione')
  await info.attach('stato-1366', {
    body: await stato
      .getByTestId('comuni-map')
      .screenshot({ path: info.outputPath('stato-1366.png') }),
    contentType: 'image/png',
  })
  await api.call('alerts:cancel', { id: alert.id })
  expect(refused.filter((m) => /Content Security Policy/i.test(m))).toEqual([])
})

test('the preview shows the card the posts carry, with its alt text', async ({ page }, info) => {
  const alert = await draft('giallo', ['Certaldo', 'Montaione'])
  await page.setViewportSize({ width: 1366, height: 900 })
  await page.goto(host.url + `#/allerta/${alert.id}`)
  const preview = page.getByRole('region', { name: 'Anteprima dell’invio' })
  const img = preview.getByTestId('preview-map').locator('img')
  await expect(img).toHaveAttribute(
    'alt',
    /^Mappa dei comuni del Circondario: Certaldo e Montaione in giallo;/,
  )
  expect(await loaded(img)).toBeGreaterThan(0)
  const alt = (await img.getAttribute('alt'))!
  await expect(preview.getByTestId('preview-map-alt')).toHaveText(`Testo alternativo: ${alt}`)
  expect(await svgOf(img)).toMatch(/data-name="Certaldo" data-level="giallo"/)
  await info.attach('anteprima-mappa', {
    body: await preview
      .getByTestId('preview-map')
      .screenshot({ path: info.outputPath('anteprima.png') }),
    contentType: 'image/png',
  })
})
