import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

let host: HostProcess
test.beforeAll(async () => {
  host = await startHostProcess()
})
test.afterAll(async () => {
  await host.stop()
  removeDir(host.dataDir)
})

/**
 * A school secretary's export, as Excel saves it on Italian Windows: Windows-1252
 * ("Niccolò" is one byte), semicolons, CRLF. Row 3 is a landline, row 4 is
 * Niccolò again with his number written another way, row 6 has a wrong number.
 */
const MESSY_CSV = Buffer.from(
  [
    'Cognome;Nome;Cellulare;E-mail;Comune;Ruolo;Scuola',
    'Bagnoli;Niccolò;347 123 4567;niccolo.bagnoli@example.org;Empoli;Genitore;Istituto Checchi',
    'Cecchi;Andrea;0571 757111;andrea.cecchi@example.org;Empoli;docente;Istituto Checchi',
    'Bagnoli;Niccolò;+39 347-1234567;;Empoli;Volontario;Istituto Checchi',
    'Fabbri;Lucia;348 765 4321;lucia.fabbri@example.org;Vinci;genitore;Istituto Checchi',
    'Rossi;Mario;12345;;Vinci;genitore;Istituto Checchi',
    '',
  ].join('\r\n'),
  'latin1',
)

test('an ICT officer imports a messy CSV, finds a parent by number and builds a list for Empoli', async ({
  page,
}) => {
  await page.goto(host.url)
  await page.getByRole('link', { name: 'Configurazione' }).click()
  await page.getByRole('link', { name: 'Contatti', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Contatti', level: 2 })).toBeVisible()
  await expect(page.getByText('Nessun contatto trovato.')).toBeVisible()

  // Dry run: the report, nothing saved.
  await page.getByRole('button', { name: 'Importa da CSV' }).click()
  await page.getByLabel('File CSV', { exact: true }).setInputFiles({
    name: 'genitori-checchi.csv',
    mimeType: 'text/csv',
    buffer: MESSY_CSV,
  })
  await page.getByRole('button', { name: 'Verifica (nessuna modifica)' }).click()
  await expect(
    page.getByRole('heading', { name: 'Rapporto della prova: nulla è stato salvato' }),
  ).toBeVisible()
  const count = (key: string) => page.getByTestId(`import-count-${key}`).locator('dd')
  await expect(count('rows')).toHaveText('5')
  await expect(count('valid')).toHaveText('4')
  await expect(count('invalid')).toHaveText('1')
  await expect(count('merged')).toHaveText('1')
  await expect(count('landlines')).toHaveText('1')
  await expect(count('created')).toHaveText('3')
  await expect(page.getByTestId('import-encoding')).toHaveText('Windows-1252 (Excel)')
  await expect(page.getByTestId('import-delimiter')).toHaveText('punto e virgola (;)')
  const invalidRow = page.getByTestId('import-invalid').getByRole('row', { name: /^6 / })
  await expect(invalidRow).toContainText('Cellulare')
  await expect(invalidRow).toContainText('"12345" non è un numero di telefono valido.')
  await expect(page.getByTestId('import-merges')).toContainText(
    'Riga 4 unita a la riga 2: lo stesso telefono +393471234567.',
  )
  await expect(page.getByText('Riga 3, colonna Cellulare: +390571757111')).toBeVisible()
  await expect(page.getByText('Nessun contatto trovato.')).toBeVisible()

  // Nothing to fix: commit it all.
  await page.getByRole('button', { name: 'Importa', exact: true }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Importazione completata.' }).first(),
  ).toContainText('Contatti nuovi: 3; aggiornati: 0; righe saltate: 1.')
  await page.getByRole('button', { name: 'Chiudi' }).click()

  const table = page.getByRole('table', { name: 'Contatti' })
  const niccolo = table.getByRole('row', { name: /Niccolò Bagnoli/ })
  await expect(niccolo).toContainText('+393471234567')
  await expect(niccolo).toContainText('cellulare')
  await expect(niccolo).toContainText('genitore, volontario')
  await expect(table.getByRole('row', { name: /Andrea Cecchi/ })).toContainText('fisso')
  await expect(table.getByRole('row', { name: /Lucia Fabbri/ })).toBeVisible()
  await expect(page.getByText('Contatti trovati: 3.')).toBeVisible()

  // Found by the number as people say it.
  await page.getByLabel('Cerca contatti').fill('347 123 4567')
  await expect(page.getByText('Contatti trovati: 1.')).toBeVisible()
  await expect(niccolo).toBeVisible()
  await expect(table.getByRole('row', { name: /Lucia Fabbri/ })).toHaveCount(0)

  // The export is a CSV download with the same people.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Esporta CSV' }).click(),
  ])
  expect(download.suggestedFilename()).toMatch(/^contatti-\d{4}-\d{2}-\d{2}\.csv$/)
  const exported = readFileSync(await download.path(), 'utf8')
  expect(exported).toContain('Niccolò Bagnoli')
  expect(exported).toContain('+390571757111')

  // A dynamic list for Empoli, and what it reaches.
  await page.getByRole('link', { name: 'Liste', exact: true }).click()
  await page.getByRole('button', { name: 'Nuova lista' }).click()
  await page.getByLabel('Nome della lista').fill('Famiglie di Empoli')
  await page.getByRole('group', { name: 'Comuni' }).getByLabel('Empoli').check()
  await page.getByRole('button', { name: 'Salva' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Lista «Famiglie di Empoli» salvata.' }),
  ).toBeVisible()
  const list = page.getByRole('row', { name: /Famiglie di Empoli/ })
  await expect(list).toContainText('Comuni: Empoli')
  await expect(list.getByTestId('reach-members')).toHaveText('2')
  // Andrea's landline gets no SMS: one mobile, two e-mails.
  await expect(list.getByTestId('reach-sms')).toHaveText('1')
  await expect(list.getByTestId('reach-email')).toHaveText('2')
  await expect(list.getByTestId('reach-telegram')).toHaveText('0')

  // The partner schools are there; Empoli cannot be deleted while people live in it.
  await page.getByRole('link', { name: 'Partner', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Istituto Checchi' })).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Istituto Enriques' })).toBeVisible()
  await page.getByRole('link', { name: 'Comuni', exact: true }).click()
  await page.getByRole('button', { name: 'Elimina Empoli' }).click()
  await page.getByRole('button', { name: 'Sì, elimina' }).click()
  await expect(page.getByRole('alert')).toContainText(
    'Il comune «Empoli» non si può eliminare perché è ancora il comune di alcuni contatti (2).',
  )
  await expect(page.getByRole('row', { name: /Empoli/ })).toBeVisible()
})
