import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import type { AlertPreview } from '../../src/shared/alerts/views'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { smsAlerts, type SmsAlerts } from '../support/sms-alert'
import { createTestCore, type TestCore } from '../support/test-core'

let t: TestCore
let room: SmsAlerts
beforeEach(async () => {
  t = createTestCore()
  installBridge(coreBridge(t.core, { operator: 'test' }))
  setActivePinia(createPinia())
  room = await smsAlerts(t, 'Giulia Neri')
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

function svgOf(src: string | undefined): string {
  const prefix = 'data:image/svg+xml;charset=utf-8,'
  expect(src?.startsWith(prefix)).toBe(true)
  return decodeURIComponent(src!.slice(prefix.length))
}
/** The card's words, its lines joined. */
const words = (svg: string) =>
  [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ')
const levelOf = (svg: string, comune: string) =>
  new RegExp(`data-name="${comune}" data-level="(\\w+)"`).exec(svg)?.[1]

describe('the send preview', () => {
  it('shows the map card the posts carry, its alt text under it, and draws it again on a new level', async () => {
    const draft = await room.draft({
      level: 'giallo',
      comuni: ['Certaldo', 'Gambassi Terme'],
      headline: 'Temporali forti',
      sms: 'Allerta gialla',
    })
    const { default: Panel } =
      await import('../../src/renderer/src/components/alerts/AlertPreviewPanel.vue')
    const preview = await room.call<AlertPreview>('alerts:preview', { id: draft.id })
    const w = mount(Panel, {
      props: { preview },
      global: { plugins: [createI18n({ legacy: false, locale: 'it', messages })] },
    })
    await flushPromises()
    const img = () => w.find('[data-testid="preview-map"] img')
    expect(img().exists()).toBe(true)
    let svg = svgOf(img().attributes('src'))
    expect(levelOf(svg, 'Certaldo')).toBe('giallo')
    expect(levelOf(svg, 'Gambassi Terme')).toBe('giallo')
    expect(levelOf(svg, 'Empoli')).toBe('verde')
    // The whole card: title and the ente's name are in the picture.
    expect(words(svg)).toContain('Allerta gialla per rischio idraulico')
    expect(words(svg)).toContain('Protezione civile Empolese')
    const alt = img().attributes('alt')!
    expect(alt).toMatch(/^Mappa dei comuni del Circondario: Certaldo e Gambassi Terme in giallo; /)
    expect(alt).toContain('Allerta gialla per rischio idraulico')
    expect(w.find('[data-testid="preview-map-alt"]').text()).toBe(`Testo alternativo: ${alt}`)

    await room.call('alerts:updateDraft', { id: draft.id, patch: { level: 'rosso' } })
    await w.setProps({ preview: await room.call<AlertPreview>('alerts:preview', { id: draft.id }) })
    await flushPromises()
    svg = svgOf(img().attributes('src'))
    expect(levelOf(svg, 'Certaldo')).toBe('rosso')
    expect(img().attributes('alt')).toContain('Certaldo e Gambassi Terme in rosso')
    expect(w.find('[data-testid="preview-map-alt"]').text()).toContain('Allerta rossa')
    w.unmount()
  })

  it('warns that the posts go without the map when a comune lies outside the Circondario', async () => {
    await room.call('comuni:create', { name: 'Borgo di Prova', province: 'FI' })
    const draft = await room.draft({
      level: 'arancione',
      comuni: ['Empoli', 'Borgo di Prova'],
      headline: 'Piena',
      sms: 'Allerta',
    })
    const { default: Panel } =
      await import('../../src/renderer/src/components/alerts/AlertPreviewPanel.vue')
    const preview = await room.call<AlertPreview>('alerts:preview', { id: draft.id })
    const w = mount(Panel, {
      props: { preview },
      global: { plugins: [createI18n({ legacy: false, locale: 'it', messages })] },
    })
    await flushPromises()
    expect(
      levelOf(svgOf(w.find('[data-testid="preview-map"] img').attributes('src')), 'Empoli'),
    ).toBe('arancione')
    expect(w.find('[data-testid="preview-map-unmapped"]').text()).toBe(
      'Fuori dal Circondario, non sulla mappa: Borgo di Prova. La mappa non si può disegnare per i post, che partiranno col solo testo.',
    )
    w.unmount()
  })

  it('labels the alt text in English for an English-speaking operator', async () => {
    const draft = await room.draft({
      level: 'arancione',
      comuni: ['Vinci'],
      headline: 'Piena',
      sms: 'Allerta',
    })
    const { default: Panel } =
      await import('../../src/renderer/src/components/alerts/AlertPreviewPanel.vue')
    const preview = await room.call<AlertPreview>('alerts:preview', { id: draft.id })
    const w = mount(Panel, {
      props: { preview },
      global: { plugins: [createI18n({ legacy: false, locale: 'en', messages })] },
    })
    await flushPromises()
    expect(w.find('[data-testid="preview-map"] h3').text()).toBe('The map the posts carry')
    // The posts are in Italian: so is the alt text they carry.
    expect(w.find('[data-testid="preview-map-alt"]').text()).toMatch(
      /^Alt text: Mappa dei comuni del Circondario: Vinci in arancione;/,
    )
    w.unmount()
  })
})
