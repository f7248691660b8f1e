import { expect, test } from '@playwright/test'
import { HOSTILE_TEXTS } from '../fakes/inbound/hostile-texts'
import {
  startFakeTelegramUpdates,
  type FakeTelegramUpdates,
} from '../fakes/inbound/telegram-updates'
import { connectHostApi, type HostApi } from '../support/host-api'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

let host: HostProcess
let telegram: FakeTelegramUpdates
let api: HostApi

test.beforeAll(async () => {
  host = await startHostProcess()
  telegram = await startFakeTelegramUpdates()
  api = await connectHostApi(host.url)
})
test.afterAll(async () => {
  api.close()
  await host.stop()
  removeDir(host.dataDir)
  await telegram.close()
})

test('a burst of citizen messages arrives in Cittadini, hostile ones harmless, and is triaged', async ({
  page,
}) => {
  const questions = Array.from(
    { length: 60 },
    (_, i) => `Domani le scuole di Fucecchio sono chiuse? (${i + 1})`,
  )
  for (const [i, text] of questions.entries())
    telegram.message({ text, firstName: 'Genitore', lastName: `${i + 1}`, chatId: 1000 + i })
  for (const text of Object.values(HOSTILE_TEXTS))
    telegram.message({ text, firstName: 'Anonimo', chatId: 9999 })
  const dialogs: string[] = []
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })

  await page.goto(host.url + '#/sala')
  await page.getByRole('button', { name: 'Cambia' }).click()
  await page.getByLabel('Nome e cognome').fill('Paola Fabbri')
  await page.getByRole('button', { name: 'Conferma' }).click()
  const panel = page.locator('[data-panel="cittadini"]')
  await expect(panel).toContainText('Nessun messaggio.')

  // The ICT office adds the Telegram bot: its messages start flowing in.
  await api.call('channels:create', {
    kind: 'telegram',
    name: 'Bot Telegram',
    settings: { baseUrl: telegram.url, chatId: '@protezionecivile_empolese' },
    secrets: { botToken: telegram.token },
  })
  const total = questions.length + Object.keys(HOSTILE_TEXTS).length
  await expect(panel.getByRole('tab', { name: /Nuovo/ })).toContainText(String(total), {
    timeout: 20_000,
  })

  // Hostile input stays text: no script ran, no element was injected, no javascript: link exists.
  await panel.getByLabel('Cerca nei messaggi').fill('Aiuto')
  await expect(panel.getByText('<script>fetch(', { exact: false })).toBeVisible()
  await panel.getByLabel('Cerca nei messaggi').fill('')
  expect(dialogs).toEqual([])
  expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0)
  expect(await page.locator('a[href^="javascript:"]').count()).toBe(0)

  // Triage: take one, mark it to answer, with the keyboard for another.
  const first = panel.getByRole('article', { name: /Messaggio di Genitore 60$/ })
  await panel.getByLabel('Cerca nei messaggi').fill('chiuse')
  await first.getByRole('button', { name: 'Prendo io' }).click()
  await expect(first).toContainText('Se ne occupa Paola Fabbri')
  await first.getByLabel('Stato').selectOption('da_rispondere')
  await expect(first.getByTestId('citizen-state')).toHaveText('Da rispondere')
  const second = panel.getByRole('article', { name: /Messaggio di Genitore 59$/ })
  await second.click()
  await page.keyboard.press('v')
  await expect(second.getByTestId('citizen-state')).toHaveText('Visto')
  await panel.getByLabel('Cerca nei messaggi').fill('')
  await expect(panel.getByRole('tab', { name: /Da rispondere/ })).toContainText('1')
  await panel.getByLabel('Assegnati a me').check()
  await expect(panel.getByRole('article')).toHaveCount(1)

  // A quick reply goes back on Telegram, in the citizen's chat, as an answer to their message.
  await first.getByRole('button', { name: /Rispondi a Genitore 60/ }).click()
  // A template can fill the reply (with the workspace's values), then the operator picks a quick text.
  await first
    .getByLabel('Da un modello, con i dati dell’allerta in corso…')
    .selectOption({ label: 'Neve - allerta arancione' })
  await expect(first.getByLabel('Risposta su Telegram')).toHaveValue(/allerta ARANCIONE per neve/)
  await first.getByRole('button', { name: 'Se sei in pericolo chiama subito il 112.' }).click()
  await first.getByRole('button', { name: 'Invia la risposta' }).click()
  await expect(first.getByTestId('citizen-state')).toHaveText('Risposto')
  await expect.poll(() => telegram.sent.length, { timeout: 15_000 }).toBe(1)
  expect(telegram.sent[0]).toMatchObject({
    chat_id: '1059',
    text: 'Se sei in pericolo chiama subito il 112.',
  })
})
