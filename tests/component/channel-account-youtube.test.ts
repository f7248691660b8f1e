import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// Through the real core: the YouTube kind's fields, words and formats as the ICT office sees them.
let t: TestCore
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, { operator: 'test' }))
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

async function mountForm(locale: 'it' | 'en' = 'it') {
  const { default: Form } =
    await import('../../src/renderer/src/components/channels/ChannelAccountForm.vue')
  const i18n = createI18n({ legacy: false, locale, messages })
  const w = mount(Form, { global: { plugins: [i18n] }, attachTo: document.body })
  await flushPromises()
  return w
}

describe('a YouTube channel account', () => {
  it('asks for the channel id, the OAuth client and the quota, with Google’s endpoints filled in', async () => {
    const w = await mountForm()
    await w.find('#f-kind').setValue('youtube')
    await flushPromises()
    const label = (id: string) => w.find(`label[for="${id}"]`).text()
    expect(label('f-settings-channelId')).toContain('ID del canale (UC…)')
    expect(label('f-settings-dailyQuotaUnits')).toContain('Unità di quota al giorno')
    expect(label('f-secret-refreshToken')).toContain('Refresh token OAuth')
    expect(label('f-secret-apiKey')).toContain('Chiave API (solo lettura dei commenti)')
    expect((w.find('#f-settings-baseUrl').element as HTMLInputElement).value).toBe(
      'https://www.googleapis.com',
    )
    expect((w.find('#f-settings-tokenUrl').element as HTMLInputElement).value).toBe(
      'https://oauth2.googleapis.com/token',
    )
    expect((w.find('#f-settings-dailyQuotaUnits').element as HTMLInputElement).value).toBe('2000')
  })

  it('refuses a channel handle where the UC… id goes, and saves one with its API key', async () => {
    const w = await mountForm()
    await w.find('#f-kind').setValue('youtube')
    await w.find('#f-name').setValue('Canale YouTube')
    await w.find('#f-settings-channelId').setValue('@protezionecivile')
    await w.find('#f-secret-apiKey').setValue('AIzaSyFakeApiKeyForTestsOnly000000')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('#err-settings-channelId').text()).toContain('UC seguito da 22')
    expect(w.emitted('saved')).toBeUndefined()

    await w.find('#f-settings-channelId').setValue('UC_x5XG1OV2P6uZZ5FSM9Ttw')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.emitted('saved')).toEqual([['Canale YouTube']])
    const [account] = await t.core.handlers['channels:list']({}, { operator: 'test' })
    expect(account).toMatchObject({ kind: 'youtube', secrets: { apiKey: true } })
  })
})
