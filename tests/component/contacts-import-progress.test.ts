import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { generateContacts, generatedContactsCsv } from '../../src/main/core/contacts'
import { messages } from '../../src/renderer/src/i18n'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The wizard over the real core and its worker thread, through the real dispatcher:
// a file big enough to watch it go, and to stop it half-way.
const ROWS = 40_000
let t: TestCore
beforeEach(() => {
  t = createTestCore()
  const bridge = coreBridge(t.core, { operator: 'test' })
  installBridge(bridge)
  setActivePinia(createPinia())
})
afterEach(() => {
  document.body.innerHTML = ''
  t.dispose()
  vi.resetModules()
})

const contacts = () => t.core.db.prepare('SELECT count(*) FROM contacts').pluck().get() as number

async function mountWizard() {
  const { default: Wizard } =
    await import('../../src/renderer/src/components/contacts/ContactImportWizard.vue')
  const i18n = createI18n({ legacy: false, locale: 'it', fallbackLocale: 'it', messages })
  return mount(Wizard, { global: { plugins: [i18n] }, attachTo: document.body })
}

async function chooseBigFile(w: VueWrapper) {
  const csv = generatedContactsCsv(generateContacts(ROWS, 21))
  const input = w.find('#imp-file')
  const file = new File([csv], 'famiglie.csv', { type: 'text/csv' })
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
}

const button = (w: VueWrapper, label: string) => {
  const found = w.findAll('button').find((b) => b.text() === label)
  if (!found) throw new Error(`no button "${label}"`)
  return found
}

/** Waits until the progress bar shows some of the run done, and returns what it says. */
async function progressUnderWay(w: VueWrapper) {
  let bar = w.find('[role="progressbar"]')
  await vi.waitFor(
    async () => {
      await flushPromises()
      bar = w.find('[role="progressbar"]')
      expect(Number(bar.attributes('aria-valuenow'))).toBeGreaterThan(0)
    },
    { timeout: 20_000, interval: 20 },
  )
  return bar
}

describe('ContactImportWizard on a large file', () => {
  it('shows rows done and time left while it works; Annulla importazione saves nothing; Importa then saves it all', async () => {
    const w = await mountWizard()
    await chooseBigFile(w)

    // The check: a bar, rows checked so far, and its own Cancel.
    await w.find('form').trigger('submit')
    const checking = await progressUnderWay(w)
    expect(checking.attributes('aria-valuemin')).toBe('0')
    expect(checking.attributes('aria-valuemax')).toBe('100')
    expect(w.find('[data-testid="import-progress"]').text()).toMatch(
      /^Righe verificate: [\d.]+ di 40\.000 · /,
    )
    expect(button(w, 'Annulla verifica').exists()).toBe(true)
    await vi.waitFor(
      async () => {
        await flushPromises()
        expect(w.find('#import-report-title').exists()).toBe(true)
      },
      { timeout: 30_000, interval: 20 },
    )
    expect(w.find('[role="progressbar"]').exists()).toBe(false)

    // The import, stopped half-way.
    await button(w, 'Importa').trigger('click')
    await progressUnderWay(w)
    const text = w.find('[data-testid="import-progress"]').text()
    expect(text).toMatch(/^Righe (verificate|salvate): [\d.]+ di [\d.]+ · /)
    expect(text).toMatch(/ancora circa \d+ (s|min)|calcolo del tempo rimanente/)
    await button(w, 'Annulla importazione').trigger('click')
    await vi.waitFor(
      async () => {
        await flushPromises()
        expect(w.text()).toContain('Importazione annullata: nessuna modifica è stata salvata.')
      },
      { timeout: 30_000, interval: 20 },
    )
    expect(w.find('[role="progressbar"]').exists()).toBe(false)
    expect(contacts()).toBe(0)
    expect(w.emitted('imported')).toBeUndefined()

    // Nothing was lost either: the same report still stands, and Importa goes through.
    await button(w, 'Importa').trigger('click')
    await vi.waitFor(
      async () => {
        await flushPromises()
        expect(w.text()).toContain('Importazione completata')
      },
      { timeout: 30_000, interval: 50 },
    )
    expect(contacts()).toBe(ROWS)
    expect(w.emitted('imported')?.[0]?.[0]).toMatchObject({ committed: true, created: ROWS })
  }, 90_000)
})
