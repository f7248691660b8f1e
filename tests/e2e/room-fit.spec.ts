import { expect, test } from '@playwright/test'
import { connectHostApi, type HostApi } from '../support/host-api'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

let host: HostProcess
let api: HostApi
test.beforeAll(async () => {
  host = await startHostProcess()
  api = await connectHostApi(host.url)
  const rows = [
    'Nominativo;Cellulare;Email;Comune',
    'Maria Antonietta Castellani;347 123 4567;maria.antonietta.castellani@example.org;Castelfiorentino',
    'Giulia Rossi;348 765 4321;giulia@example.org;Montelupo Fiorentino',
  ]
  await api.call('contacts:import', {
    fileName: 'famiglie.csv',
    content: Buffer.from(rows.join('\r\n'), 'utf8').toString('base64'),
    dryRun: false,
  })
})
test.afterAll(async () => {
  api.close()
  await host.stop()
  removeDir(host.dataDir)
})

for (const [width, height] of [
  [1366, 768],
  [1600, 1000],
  [1920, 1080],
] as const) {
  test(`the Allerta room fits a ${width}×${height} screen: every panel whole and on screen`, async ({
    page,
  }, info) => {
    await page.setViewportSize({ width, height })
    await page.goto(host.url + '#/sala')
    await page.getByLabel('Disposizione').selectOption('allerta')
    const panels = page.locator('[data-panel]')
    await expect(panels).toHaveCount(6)
    const boxes = await panels.evaluateAll((els) =>
      els.map((e) => {
        const r = e.getBoundingClientRect()
        return { kind: e.getAttribute('data-panel'), left: r.left, right: r.right, width: r.width }
      }),
    )
    for (const b of boxes) {
      expect(b.left, `${b.kind} starts on screen`).toBeGreaterThanOrEqual(0)
      expect(b.right, `${b.kind} ends on screen`).toBeLessThanOrEqual(width)
      expect(b.width, `${b.kind} is at least its minimum width`).toBeGreaterThanOrEqual(259.5)
    }
    // No control is cut by its panel's edge.
    const cut = await panels.evaluateAll((els) =>
      els.flatMap((panel) => {
        const edge = panel.getBoundingClientRect()
        return [...panel.querySelectorAll('button, input, select, label')]
          .filter((c) => {
            const r = c.getBoundingClientRect()
            return r.width > 0 && (r.right > edge.right + 1 || r.left < edge.left - 1)
          })
          .map((c) => `${panel.getAttribute('data-panel')}: ${c.textContent?.trim() || c.tagName}`)
      }),
    )
    expect(cut).toEqual([])
    // Nothing scrolls sideways: the page is as wide as the screen.
    const pageWidth = await page.locator('html').evaluate((html) => html.scrollWidth)
    expect(pageWidth).toBeLessThanOrEqual(width)
    await info.attach(`sala-${width}`, { body: await page.screenshot(), contentType: 'image/png' })
  })
}

test('Contatti at 1366 px: long names and comuni stay inside their columns', async ({
  page,
}, info) => {
  await page.setViewportSize({ width: 1366, height: 768 })
  await page.goto(host.url + '#/configurazione/contatti')
  const table = page.getByRole('table', { name: /contatti/i })
  await expect(table).toContainText('Castelfiorentino')
  const overflowing = await table.evaluate((t) =>
    [...t.querySelectorAll('[role="cell"], [role="columnheader"]')]
      .filter((c) => c.scrollWidth > c.clientWidth + 1)
      .map((c) => c.textContent?.trim()),
  )
  expect(overflowing).toEqual([])
  // And no cell runs into the next one.
  const overlaps = await table.evaluate((t) => {
    const out: string[] = []
    for (const row of t.querySelectorAll('[role="row"]')) {
      const cells = [...row.querySelectorAll('[role="cell"], [role="columnheader"]')]
      for (let i = 1; i < cells.length; i++) {
        const a = cells[i - 1]!.getBoundingClientRect()
        const b = cells[i]!.getBoundingClientRect()
        if (a.right > b.left + 0.5) out.push(cells[i - 1]!.textContent?.trim() ?? '')
      }
    }
    return out
  })
  expect(overlaps).toEqual([])
  await info.attach('contatti-1366', { body: await page.screenshot(), contentType: 'image/png' })
})
