import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

let host: HostProcess
test.beforeAll(async () => {
  host = await startHostProcess()
})
test.afterAll(async () => {
  await host.stop()
  removeDir(host.dataDir)
})

/** Every WCAG 2.1 A/AA rule axe-core checks, on the page as it is now. */
async function violations(page: Page) {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }))
}

const nav = (link: string) => async (p: Page) =>
  void (await p.getByRole('link', { name: link, exact: true }).first().click())
const config = (tab: string) => async (p: Page) => {
  await p.getByRole('link', { name: 'Configurazione' }).click()
  await p
    .getByRole('navigation', { name: 'Sezioni di configurazione' })
    .getByRole('link', { name: tab, exact: true })
    .click()
}

const SCREENS: [string, (page: Page) => Promise<void>][] = [
  ['Sala', nav('Sala')],
  ['Consegne', nav('Consegne')],
  ['Feed', nav('Feed')],
  ['Esercitazioni', nav('Esercitazioni')],
  ['Nuova allerta', nav('Nuova allerta')],
  ...['Canali', 'Contatti', 'Liste', 'Partner', 'Comuni', 'Modelli', 'Fonti', 'Ente'].map(
    (tab): [string, (page: Page) => Promise<void>] => [`Configurazione → ${tab}`, config(tab)],
  ),
]

for (const [name, open] of SCREENS) {
  test(`${name} has no WCAG 2.1 AA violation axe-core can find`, async ({ page }) => {
    await page.goto(host.url)
    await open(page)
    await page.waitForLoadState('networkidle')
    expect(await violations(page)).toEqual([])
  })
}
