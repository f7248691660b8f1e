import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createI18n } from 'vue-i18n'
import { messages } from '../../src/renderer/src/i18n'
import { bytesToBase64 } from '../../src/renderer/src/components/contacts/file-base64'
import { coreBridge, installBridge } from '../support/core-bridge'
import { createTestCore, type TestCore } from '../support/test-core'

// The wizard talks to the real core through the real dispatcher: the same
// path as the host, minus the socket. Files are the office fixtures.
const FIXTURES = resolve(__dirname, '../fixtures/contacts')
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

const contactCount = async () => {
  const page = await t.core.handlers['contacts:search']({ limit: 500 }, { operator: 'test' })
  return page.items.length
}

async function mountWizard() {
  const { default: Wizard } =
    await import('../../src/renderer/src/components/contacts/ContactImportWizard.vue')
  const i18n = createI18n({ legacy: false, locale: 'it', fallbackLocale: 'it', messages })
  const wrapper = mount(Wizard, { global: { plugins: [i18n] }, attachTo: document.body })
  return { wrapper, i18n }
}

/** Chooses a fixture in the file input, as a person does in the file dialog. */
async function chooseFile(
  w: VueWrapper,
  name: string,
  bytes = readFileSync(`${FIXTURES}/${name}`),
) {
  const input = w.find('#imp-file')
  const file = new File([new Uint8Array(bytes)], name, { type: 'text/csv' })
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
}

/** Runs the dry run and waits for its report (the file is read asynchronously). */
async function check(w: VueWrapper) {
  await w.find('form').trigger('submit')
  await vi.waitFor(async () => {
    await flushPromises()
    expect(w.find('#import-report-title').exists()).toBe(true)
  })
}

const count = (w: VueWrapper, key: string) =>
  w.find(`[data-testid="import-count-${key}"] dd`).text()
const button = (w: VueWrapper, label: string) => {
  const found = w.findAll('button').find((b) => b.text() === label)
  if (!found) throw new Error(`no button "${label}"`)
  return found
}

describe('ContactImportWizard', () => {
  it('shows a dry run of an Excel file without saving, then commits it all', async () => {
    const { wrapper: w } = await mountWizard()
    await chooseFile(w, 'checchi-excel-cp1252.csv')
    await check(w)

    expect(w.find('#import-report-title').text()).toBe(
      'Rapporto della prova: nulla è stato salvato',
    )
    expect(w.find('[data-testid="import-encoding"]').text()).toBe('Windows-1252 (Excel)')
    expect(w.find('[data-testid="import-delimiter"]').text()).toBe('punto e virgola (;)')
    expect(count(w, 'rows')).toBe('5')
    expect(count(w, 'valid')).toBe('5')
    expect(count(w, 'invalid')).toBe('0')
    expect(count(w, 'landlines')).toBe('1')
    expect(count(w, 'created')).toBe('5')
    expect(w.text()).toContain('Riga 4, colonna Cellulare: +390571757111')
    // The column mapping as the importer understood it.
    const mapping = w.findAll('table').find((tb) => tb.text().includes('Corrispondenza'))!
    expect(mapping.text()).toContain('CellulareTelefono')
    expect(mapping.text()).toContain('ScuolaScuola o ente')
    expect(await contactCount()).toBe(0)

    await button(w, 'Importa').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.find('[role="status"]').text()).toContain('Importazione completata')
    })
    expect(w.find('[role="status"]').text()).toBe(
      'Importazione completata. Contatti nuovi: 5; aggiornati: 0; righe saltate: 0.',
    )
    expect(w.emitted('imported')?.[0]?.[0]).toMatchObject({ committed: true, created: 5 })
    expect(await contactCount()).toBe(5)
    const found = await t.core.handlers['contacts:search'](
      { query: 'Niccolò' },
      { operator: 'test' },
    )
    expect(found.items.map((c) => c.name)).toEqual(['Niccolò Bagnoli'])
  })

  it('locates each invalid row and says why in the interface language; Annulla saves nothing', async () => {
    const { wrapper: w, i18n } = await mountWizard()
    await chooseFile(w, 'invalid-rows.csv')
    await check(w)

    expect(count(w, 'rows')).toBe('11')
    expect(count(w, 'valid')).toBe('2')
    const invalid = w.find('[data-testid="import-invalid"]')
    const rows = invalid.findAll('tbody tr').map((r) => r.findAll('th, td').map((c) => c.text()))
    expect(rows).toContainEqual(['3', 'Nominativo', 'Manca il nome della persona.'])
    expect(rows).toContainEqual([
      '6',
      '—',
      'Nessun recapito: servono almeno un telefono, un’e-mail o un utente Telegram.',
    ])
    expect(rows).toContainEqual(['5', 'E-mail', '"non-una-mail" non è un indirizzo e-mail valido.'])
    expect(rows).toContainEqual(['4', 'Telefono', '"12345" non è un numero di telefono valido.'])
    expect(count(w, 'invalid')).toBe(String(rows.length))

    i18n.global.locale.value = 'en'
    await flushPromises()
    expect(invalid.text()).toContain('The person’s name is missing.')
    expect(w.find('#import-report-title').text()).toBe('Trial report: nothing was saved')

    await button(w, 'Cancel').trigger('click')
    expect(w.emitted('cancel')).toHaveLength(1)
    expect(await contactCount()).toBe(0)
  })

  it('asks for unknown columns, re-runs with the mapping, and only then lets the import go', async () => {
    const { wrapper: w } = await mountWizard()
    await chooseFile(w, 'unknown-headers.csv')
    await check(w)

    expect(w.find('.report__fatal').text()).toContain('Nessuna colonna con il nome della persona')
    expect(button(w, 'Importa').attributes('disabled')).toBeDefined()
    const selects = w.findAll('.mapping select')
    expect(w.findAll('.mapping label').map((l) => l.text())).toEqual([
      'Colonna «Genitore»',
      'Colonna «Cell. mamma»',
      'Colonna «Posta»',
      'Colonna «Paese»',
      'Colonna «Classe»',
    ])
    await selects[0]!.setValue('name')
    await selects[1]!.setValue('phone')
    await selects[2]!.setValue('email')
    await selects[3]!.setValue('comune')
    // Changed but not re-checked: the report no longer describes what would happen.
    expect(button(w, 'Importa').attributes('disabled')).toBeDefined()
    expect(w.text()).toContain('verifica di nuovo prima di importare')

    await button(w, 'Verifica di nuovo').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(count(w, 'valid')).toBe('2')
    })
    expect(w.find('.report__fatal').exists()).toBe(false)
    // The mapped columns keep their select, showing the choice.
    expect((w.findAll('.mapping select')[0]!.element as HTMLSelectElement).value).toBe('name')
    expect(button(w, 'Importa').attributes('disabled')).toBeUndefined()
    await button(w, 'Importa').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.emitted('imported')).toHaveLength(1)
    })
    const page = await t.core.handlers['contacts:search']({}, { operator: 'test' })
    expect(page.items.map((c) => [c.name, c.comuneName])).toEqual([
      ['Laura Ciampi', 'Cerreto Guidi'],
      ['Marco Giannini', 'Gambassi Terme'],
    ])
  })

  it('holds a sync that would take 3 of 10 off the list until the operator types 3', async () => {
    const roster = (from: number) =>
      Buffer.from(
        'Nominativo;Cellulare\n' +
          Array.from({ length: 10 - from }, (_, k) => `Genitore ${k + from};347 100 00${k + from}0`)
            .map((l) => `${l}\n`)
            .join(''),
      )
    const sync = { fileName: 'genitori.csv', sourceKey: 'checchi-genitori' }
    const seeded = await t.core.handlers['contacts:import'](
      { ...sync, content: roster(0).toString('base64'), dryRun: false },
      { operator: 'test' },
    )
    expect(seeded.committed).toBe(true)

    const { wrapper: w } = await mountWizard()
    await chooseFile(w, 'genitori.csv', roster(3))
    await w.find('#imp-source').setValue('checchi-genitori')
    await check(w)
    expect(w.find('.report__fatal').text()).toBe(
      '3 contatti sparirebbero dall’elenco “checchi-genitori” (30% di 10, oltre il limite del 20%): nulla è stato salvato e nessuno è stato tolto. Se è giusto, conferma il numero 3.',
    )
    expect(w.text()).toContain('Genitore 0')
    expect(button(w, 'Importa').attributes('disabled')).toBeDefined()
    const confirm = w.find('#imp-confirm-removal')
    expect(w.find('label[for="imp-confirm-removal"]').text()).toBe(
      'Per importare comunque, scrivi il numero di contatti che spariscono dall’elenco (3)',
    )
    await confirm.setValue('2')
    expect(button(w, 'Importa').attributes('disabled')).toBeDefined()
    await confirm.setValue('3')
    expect(button(w, 'Importa').attributes('disabled')).toBeUndefined()
    await button(w, 'Importa').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(w.emitted('imported')).toHaveLength(1)
    })
    const again = await t.core.handlers['contacts:import'](
      { ...sync, content: roster(3).toString('base64'), dryRun: true },
      { operator: 'test' },
    )
    expect(again).toMatchObject({ fatal: null, sync: { disappeared: [] } })
    expect(await contactCount()).toBe(10)
  })

  it('refuses to run without a file, or with one too large for the socket', async () => {
    const { wrapper: w } = await mountWizard()
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('[role="alert"]').text()).toBe('Scegli prima un file.')

    const input = w.find('#imp-file')
    const huge = new File(['x'], 'tutti.csv', { type: 'text/csv' })
    Object.defineProperty(huge, 'size', { value: 41 * 1024 * 1024 })
    Object.defineProperty(input.element, 'files', { value: [huge], configurable: true })
    await input.trigger('change')
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(w.find('[role="alert"]').text()).toBe(
      'Il file è troppo grande: al massimo 40 MB. Dividilo in più file.',
    )
    expect(w.find('#import-report-title').exists()).toBe(false)
  })
})

describe('bytesToBase64', () => {
  it('encodes a 10 MB file in chunks exactly as one pass would', () => {
    const bytes = new Uint8Array(10 * 1024 * 1024 + 1)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'))
    expect(bytesToBase64(new Uint8Array([0xf2]))).toBe('8g==')
    expect(bytesToBase64(new Uint8Array())).toBe('')
  })
})
