import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// Through the real core and dispatcher, as the host serves it.
let t: TestCore
const ctx = { operator: 'test' }
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, { operator: 'test' })
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

const i18n = (locale: 'it' | 'en' = 'it') => createI18n({ legacy: false, locale, messages })

async function mountScreen(locale: 'it' | 'en' = 'it') {
  const { default: Screen } =
    await import('../../src/renderer/src/components/settings/SettingsEnteScreen.vue')
  const w = mount(Screen, { global: { plugins: [i18n(locale)] }, attachTo: document.body })
  await flushPromises()
  return w
}
const value = (w: Awaited<ReturnType<typeof mountScreen>>, id: string) =>
  (w.find(id).element as HTMLInputElement).value

describe('Configurazione → Ente', () => {
  it('shows the workspace’s values and saves the link, number and hashtag', async () => {
    const w = await mountScreen()
    expect(w.find('label[for="ente-link"]').text()).toContain('Link degli aggiornamenti')
    expect(w.find('label[for="ente-link"] code').text()).toBe('{{link}}')
    expect(value(w, '#ente-ente')).toBe('Protezione civile Empolese Valdelsa')
    expect(value(w, '#ente-link')).toBe('')
    await w.find('#ente-link').setValue('https://www.empolese-valdelsa.it/allerta')
    await w.find('#ente-numeroEmergenza').setValue('055 123456')
    await w.find('#ente-hashtag').setValue('#allertameteoTOS #Empolese')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('[role="status"]').text()).toBe('Dati dell’ente salvati.')
    expect(await t.core.handlers['settings:get']({}, ctx)).toMatchObject({
      link: 'https://www.empolese-valdelsa.it/allerta',
      numeroEmergenza: '055 123456',
      hashtag: '#allertameteoTOS #Empolese',
    })
  })

  it('marks a wrong link and a wrong hashtag with the core’s reasons, and saves nothing', async () => {
    const w = await mountScreen()
    await w.find('#ente-link').setValue('www.empolese-valdelsa.it')
    await w.find('#ente-hashtag').setValue('allertameteo')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('#ente-link').attributes('aria-invalid')).toBe('true')
    expect(w.find('#ente-link-err').text()).toContain('Indirizzo non valido')
    expect(w.find('#ente-hashtag-err').text()).toContain('iniziano con #')
    expect((await t.core.handlers['settings:get']({}, ctx)).link).toBe('')
  })

  it('follows a save made elsewhere while nothing is typed here, in English too', async () => {
    const w = await mountScreen('en')
    expect(w.find('label[for="ente-hashtag"]').text()).toContain('Hashtag of posts')
    await t.core.handlers['settings:update']({ link: 'https://example.org/allerta' }, ctx)
    await flushPromises()
    expect(value(w, '#ente-link')).toBe('https://example.org/allerta')
  })
})

describe('the send preview', () => {
  it('sends the operator to Configurazione → Ente when the link is not set', async () => {
    const h = t.core.handlers
    const sms = await h['channels:create'](
      {
        kind: 'sms_gateway',
        name: 'SMS',
        enabled: true,
        settings: {
          baseUrl: 'https://sms.example.org/API/v1.0/REST/',
          username: 'u',
          sender: 'ProtCiv',
          messageType: 'GP',
        },
        secrets: { password: 'p' },
      } as never,
      ctx,
    )
    const alert = await h['alerts:createDraft'](
      {
        draft: {
          kind: 'neve',
          level: 'giallo',
          comuni: [{ name: 'Empoli' }],
          validFrom: '2026-02-07T14:00:00+01:00',
          validTo: '2026-02-07T23:59:00+01:00',
          headline: 'Neve',
          targets: { accountIds: [sms.id], listIds: [], partnerIds: [] },
        },
      } as never,
      ctx,
    )
    await h['alerts:applyTemplate']({ id: alert.id, templateId: 'neve-giallo' }, ctx)
    const preview = await h['alerts:preview']({ id: alert.id }, ctx)
    const { default: Panel } =
      await import('../../src/renderer/src/components/alerts/AlertPreviewPanel.vue')
    const w = mount(Panel, { props: { preview }, global: { plugins: [i18n()] } })
    const issues = w.findAll('.issue--error').map((li) => li.text())
    expect(issues).toContain('Imposta il link dell’ente in Configurazione → Ente.')
    expect(issues.join(' ')).not.toContain('rimasta nel testo')
  })
})

describe('Configurazione → Ente after a reconnection', () => {
  it('shows what was saved elsewhere while this page missed the event, keeping typing not yet saved', async () => {
    const { resyncAll } = await import('../../src/renderer/src/api/resync')
    // This page's socket is down: no event from the core reaches it.
    ;(window as { vedetta?: { on: unknown } }).vedetta!.on = () => () => undefined
    const w = await mountScreen()
    t.core.handlers['settings:update']({ numeroEmergenza: '0571 757000' }, ctx)
    await flushPromises()
    expect(value(w, '#ente-numeroEmergenza')).not.toBe('0571 757000')
    // Connected again: the screen reads the workspace again.
    resyncAll()
    await flushPromises()
    expect(value(w, '#ente-numeroEmergenza')).toBe('0571 757000')
    // Typing in progress is never overwritten by the re-read.
    await w.find('#ente-hashtag').setValue('#Empolese')
    t.core.handlers['settings:update']({ numeroEmergenza: '112' }, ctx)
    resyncAll()
    await flushPromises()
    expect(value(w, '#ente-hashtag')).toBe('#Empolese')
    w.unmount()
  })
})
