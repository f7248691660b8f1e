import { expect, test } from '@playwright/test'
import { startFakeTwilioVoice, type FakeTwilioVoice } from '../fakes/twilio-voice-fake'
import { connectHostApi, type HostApi } from '../support/host-api'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

/**
 * A voice alert from the operator's confirmation to the calls, through the
 * host process and a loopback Twilio: three people of Vinci are called (two
 * landlines, a mobile), each hears the Italian text, and the alert's page
 * follows every call as the provider moves it. The host polls a call's state
 * every 10 s, so ringing, answered and busy each take a poll to show.
 */

let host: HostProcess
let twilio: FakeTwilioVoice
let api: HostApi

const LANDLINE_ANSWERS = '+390571757111'
const LANDLINE_BUSY = '+390571933222'
const MOBILE = '+393471234567'

const people = [
  'Nominativo;Cellulare;Comune',
  'Anna Cecchi;0571 757111;Vinci',
  'Piero Baldi;0571 933222;Vinci',
  'Lucia Mori;347 123 4567;Vinci',
].join('\r\n')

const VOICE_TEXT =
  'Attenzione. Protezione civile del Circondario Empolese Valdelsa. Allerta arancione per temporali su Vinci. Evitate i sottopassi e restate in casa.'

test.beforeAll(async () => {
  twilio = await startFakeTwilioVoice()
  host = await startHostProcess()
  api = await connectHostApi(host.url)
  await api.call('settings:update', { cancelWindowSeconds: 0 })
  await api.call('channels:create', {
    kind: 'voice_twilio',
    name: 'Chiamate Vinci',
    settings: {
      baseUrl: twilio.url,
      accountSid: twilio.accountSid,
      from: '+390571000001',
      language: 'it-IT',
      attempts: 3,
      // The shortest interval: the redial is not awaited, the alert is stopped first.
      attemptIntervalMinutes: 1,
      ratePerSecond: 10,
      maxConcurrentCalls: 10,
      quietHours: '',
    },
    secrets: { authToken: twilio.authToken },
  })
  await api.call('contacts:import', {
    fileName: 'vinci.csv',
    content: Buffer.from(people, 'utf8').toString('base64'),
    dryRun: false,
    list: 'Fragili — Vinci',
  })
})
test.afterAll(async () => {
  api?.close()
  await host?.stop()
  if (host) removeDir(host.dataDir)
  await twilio?.close()
})

test('an orange voice alert calls two landlines and a mobile in Vinci and the page follows each call', async ({
  page,
}) => {
  test.setTimeout(120_000)
  twilio.script(LANDLINE_BUSY, 'busy')
  twilio.script(LANDLINE_ANSWERS, 'answered', 40)
  twilio.script(MOBILE, 'machine', 40)
  const [account] = await api.call('channels:list', {})
  const list = (await api.call('lists:list', {})).find((l) => l.name === 'Fragili — Vinci')!
  const draft = await api.call('alerts:createDraft', {
    draft: {
      kind: 'temporali',
      level: 'arancione',
      comuni: [{ name: 'Vinci' }],
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      headline: 'Allerta arancione per temporali',
      texts: { voice: VOICE_TEXT },
      targets: { accountIds: [account!.id], listIds: [list.id] },
    },
  })

  // The operator confirms it on the alert's page.
  await page.goto(`${host.url}#/allerta/${draft.id}`)
  await expect(page.getByRole('heading', { name: /Allerta arancione per temporali/ })).toBeVisible()
  await page.getByLabel('Scrivi INVIA').fill('INVIA')
  // Nobody is on duty at this desk yet: the confirm box asks who sends.
  await page.getByLabel('Chi invia? Nome e cognome').fill('Giulia Neri')
  await page.getByRole('button', { name: 'Invia a tutti i canali' }).click()

  const board = page.getByRole('region', { name: 'Chiamate di Chiamate Vinci' })
  const call = (n: string) => board.getByTestId(`call-${n}`)
  await expect(board.getByRole('listitem')).toHaveCount(3)

  // Each number rings, then the provider says how it went. Ringing and the call in progress
  // come with no event: the page reads them while the calls last (the host asks every 5 s).
  await expect(call(LANDLINE_ANSWERS)).toContainText('squilla (tentativo 1 di 3)', {
    timeout: 20_000,
  })
  await expect(call(LANDLINE_ANSWERS)).toContainText('chiamata in corso (tentativo 1 di 3)', {
    timeout: 20_000,
  })
  await expect(call(LANDLINE_BUSY)).toContainText('occupato (tentativo 1 di 3)', {
    timeout: 40_000,
  })
  await expect(call(LANDLINE_BUSY)).toContainText('si richiama alle')
  await expect(call(LANDLINE_ANSWERS)).toContainText('risposto (tentativo 1 di 3) alle', {
    timeout: 40_000,
  })
  await expect(call(MOBILE)).toContainText('segreteria (tentativo 1 di 3) alle', {
    timeout: 40_000,
  })

  // Exactly one call per person so far, each speaking the Italian text in Italian.
  expect(twilio.calls.map((c) => c.to).sort()).toEqual(
    [LANDLINE_ANSWERS, LANDLINE_BUSY, MOBILE].sort(),
  )
  for (const c of twilio.calls) {
    expect(c.twiml).toContain('<Say language="it-IT">')
    expect(c.say).toMatchObject({ language: 'it-IT', text: VOICE_TEXT })
  }

  // Stop: the redial waiting for the busy landline is never placed.
  await page.getByRole('button', { name: 'Ferma i messaggi ancora in coda' }).click()
  await expect(call(LANDLINE_BUSY)).toContainText('non chiamato (invio fermato)')
  await expect(page.getByTestId('alert-status')).toHaveText('Fermata')
  expect(twilio.calls).toHaveLength(3)

  // The same board in English.
  await page.getByLabel('Lingua').selectOption('en')
  await expect(
    page.getByRole('region', { name: 'Calls of Chiamate Vinci' }).getByTestId(`call-${MOBILE}`),
  ).toContainText('voicemail (attempt 1 of 3) at')
})
