import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { createMemoryHistory, createRouter } from 'vue-router'
import { commandNames, type BulletinAlertView, type VedettaBridge } from '../../src/shared/contract'
import { messages } from '../../src/renderer/src/i18n'

const view = {
  change: 'new',
  sourceName: 'CFR Toscana',
  level: 'arancione',
  previousLevel: null,
  escalated: false,
  item: {
    id: 4,
    headline: 'Allerta arancione per neve: Empoli, Vinci, Certaldo',
    bulletin: { levelKind: 'cap_level' },
  },
  draft: {},
} as unknown as BulletinAlertView

let acknowledge: ReturnType<typeof vi.fn>
beforeEach(() => {
  acknowledge = vi.fn(async ({ itemId }: { itemId: number }) => ({ ok: true, value: { itemId } }))
  const bridge: Record<string, unknown> = { on: () => () => {} }
  for (const name of commandNames) bridge[name] = async () => ({ ok: true, value: [] })
  // The core keeps the banner of a bulletin still valid until it is acknowledged.
  bridge['feeds:pendingAlerts'] = async () => ({ ok: true, value: [view] })
  bridge['feeds:acknowledgeAlert'] = acknowledge
  ;(window as { vedetta?: VedettaBridge }).vedetta = bridge as VedettaBridge
  setActivePinia(createPinia())
})
afterEach(() => vi.resetModules())

async function mountBanner() {
  const { default: BulletinNotifier } =
    await import('../../src/renderer/src/components/app/BulletinNotifier.vue')
  const router = createRouter({ history: createMemoryHistory(), routes: [] })
  const i18n = createI18n({ legacy: false, locale: 'it', messages })
  const w = mount(BulletinNotifier, { global: { plugins: [i18n, router] } })
  await flushPromises()
  return w
}

describe('the bulletin banner after a reload', () => {
  it('shows again the banner not yet acknowledged, and acknowledges it when closed', async () => {
    const w = await mountBanner()
    expect(w.text()).toContain('Allerta arancione per neve')
    await w
      .findAll('button')
      .find((b) => b.text() === 'Chiudi avviso')!
      .trigger('click')
    await flushPromises()
    expect(acknowledge).toHaveBeenCalledWith({ itemId: 4 })
    expect(w.text()).not.toContain('Allerta arancione per neve')
  })

  it('keeps the banner and says so when the acknowledgement fails', async () => {
    acknowledge.mockResolvedValueOnce({
      ok: false,
      error: { code: 'internal', message: 'database bloccato' },
    })
    const w = await mountBanner()
    await w
      .findAll('button')
      .find((b) => b.text() === 'Chiudi avviso')!
      .trigger('click')
    await flushPromises()
    expect(w.text()).toContain('Allerta arancione per neve')
    expect(w.find('[role="alert"].form__summary').text()).toContain('database bloccato')
  })
})
