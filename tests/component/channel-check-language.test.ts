import { join } from 'node:path'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

let t: TestCore
const ctx = { operator: 'ict' }
beforeEach(() => {
  t = createTestCore()
  installBridge(coreBridge(t.core, ctx))
  setActivePinia(createPinia())
})
afterEach(() => {
  t.dispose()
  vi.resetModules()
})

/** Checks an account: a gateway where nothing listens (port 9 of loopback), or a website folder. */
async function checked(kind: 'sms_gateway' | 'website') {
  const account = await t.core.handlers['channels:create'](
    kind === 'sms_gateway'
      ? {
          kind,
          name: 'SMS scuole',
          enabled: false,
          settings: {
            baseUrl: 'http://127.0.0.1:9',
            username: 'pc-empolese',
            sender: 'ProtCiv',
            messageType: 'GP',
          },
          secrets: { password: 'password-del-gateway' },
        }
      : {
          kind,
          name: 'Sito PC',
          enabled: false,
          settings: {
            outputDir: join(t.dataDir, 'www'),
            publicBaseUrl: 'https://allerte.empolese.example.it/cap',
            senderId: 'protezionecivile@empolese.example.it',
          },
          secrets: {},
        },
    ctx,
  )
  await t.core.handlers['channels:test']({ id: account.id }, ctx)
}

async function checkColumn(locale: 'it' | 'en'): Promise<string> {
  const { default: Screen } =
    await import('../../src/renderer/src/components/channels/ChannelsScreen.vue')
  const w = mount(Screen, {
    global: { plugins: [createI18n({ legacy: false, locale, messages })] },
  })
  await flushPromises()
  const text = w.find('tbody tr').text()
  w.unmount()
  return text
}

describe('a channel check in Canali', () => {
  it('reads in English on an English screen when it failed, and as the adapter said it in Italian', async () => {
    await checked('sms_gateway')
    const en = await checkColumn('en')
    expect(en).toContain('Gateway SMS unreachable (network error)')
    expect(en).not.toMatch(/raggiungibil|errore di rete/)
    expect(en).not.toContain('password-del-gateway')
    const it_ = await checkColumn('it')
    expect(it_).toContain('Gateway SMS')
    expect(it_).not.toMatch(/unreachable|network error/)
  })

  it('names what answered when it passed, in either language', async () => {
    await checked('website')
    const folder = join(t.dataDir, 'www')
    expect(await checkColumn('en')).toContain(`Folder ${folder} writable`)
    expect(await checkColumn('it')).toContain(`Cartella ${folder} scrivibile`)
  })
})
