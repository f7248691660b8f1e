import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { smsAlerts } from '../support/sms-alert'
import { createTestCore, type TestCore } from '../support/test-core'

let t: TestCore
/** How many times the renderer asked the core for the map. */
let mapReads = 0
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, { operator: 'test' })
  const read = bridge['maps:levels'] as (input: unknown) => Promise<unknown>
  mapReads = 0
  bridge['maps:levels'] = (input: unknown) => {
    mapReads += 1
    return read(input)
  }
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

/** The SVG inside the image's `data:` URL. */
function svgOf(src: string | undefined): string {
  const prefix = 'data:image/svg+xml;charset=utf-8,'
  expect(src?.startsWith(prefix)).toBe(true)
  return decodeURIComponent(src!.slice(prefix.length))
}

const levelOf = (svg: string, comune: string) =>
  new RegExp(`data-name="${comune}" data-level="(\\w+)"`).exec(svg)?.[1]

/** Waits (real time) until `probe` holds: the store reloads on the core's event. */
async function until(probe: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    await flushPromises()
    if (probe()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function mountStatus(locale: 'it' | 'en' = 'it') {
  const { default: Panel } = await import('../../src/renderer/src/room/panels/StatusPanel.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/:any(.*)*', component: { render: () => null } }],
  })
  return mount(Panel, { props: { readOnly: true }, global: { plugins: [i18n, router] } })
}

describe('the map in Stato', () => {
  it('shows the real map as an image with alt text, and draws it again when a level changes', async () => {
    const w = await mountStatus()
    await until(() => w.find('[data-testid="comuni-map"] img').exists(), 'the map')
    const img = () => w.find('[data-testid="comuni-map"] img')
    expect(img().element.tagName).toBe('IMG')
    // An image, never markup of the room: no inline <svg> in the panel.
    expect(w.find('[data-testid="comuni-map"] svg').exists()).toBe(false)
    let svg = svgOf(img().attributes('src'))
    expect(svg.match(/<path id="comune-/g)).toHaveLength(11)
    expect(levelOf(svg, 'Empoli')).toBe('verde')
    expect(img().attributes('alt')).toBe(
      'Mappa dei comuni del Circondario con il livello di allerta in vigore: 11 comuni in verde.',
    )
    // The list in words stays, for whoever does not see the colours.
    expect(w.find('li[data-comune="Empoli"] .level').text()).toBe('Verde')
    const readsBefore = mapReads

    const room = await smsAlerts(t, 'Giulia Neri')
    await room.confirm(
      await room.draft({
        level: 'arancione',
        comuni: ['Empoli', 'Vinci'],
        headline: 'Piena dell’Arno',
        sms: 'Allerta arancione',
      }),
    )
    await until(
      () => levelOf(svgOf(img().attributes('src')), 'Empoli') === 'arancione',
      'the map to show Empoli orange',
    )
    svg = svgOf(img().attributes('src'))
    expect(levelOf(svg, 'Vinci')).toBe('arancione')
    expect(levelOf(svg, 'Certaldo')).toBe('verde')
    expect(img().attributes('alt')).toBe(
      'Mappa dei comuni del Circondario con il livello di allerta in vigore: Empoli: Arancione; Vinci: Arancione; 9 comuni in verde.',
    )
    expect(w.find('li[data-comune="Empoli"] .level').text()).toBe('Arancione')
    expect(mapReads).toBeGreaterThan(readsBefore)
    w.unmount()
  })

  it('reads the map again after a reconnection', async () => {
    const w = await mountStatus()
    await until(() => w.find('[data-testid="comuni-map"] img').exists(), 'the map')
    const before = mapReads
    const { resyncAll } = await import('../../src/renderer/src/api/resync')
    resyncAll()
    await until(() => mapReads > before, 'the map to be read again')
    w.unmount()
  })

  it('says the map in English too, and scales it to the panel', async () => {
    const w = await mountStatus('en')
    await until(() => w.find('[data-testid="comuni-map"] img').exists(), 'the map')
    const img = w.find('[data-testid="comuni-map"] img')
    expect(img.attributes('alt')).toBe(
      'Map of the municipalities of the Circondario with the alert level in force: 11 municipalities green.',
    )
    // The SVG has a viewBox; the image keeps its proportions at the panel's width.
    expect(svgOf(img.attributes('src'))).toMatch(/viewBox="0 0 \d+ \d+"/)
    expect(Number(img.attributes('width'))).toBeGreaterThan(0)
    expect(Number(img.attributes('height'))).toBeGreaterThan(0)
    w.unmount()
  })
})
