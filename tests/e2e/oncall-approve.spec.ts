import { expect, test } from '@playwright/test'
import { startFeedServer, type FeedServer } from '../fakes/feed-server'
import { startFakeSmsGateway, type FakeSmsGateway } from '../fakes/sms-gateway-fake'
import { startFakeTelegram, type FakeTelegram } from '../fakes/telegram-fake'
import { italianCap } from '../support/bulletins'
import { connectHostApi, type HostApi } from '../support/host-api'
import { removeDir, startHostProcess, type HostProcess } from '../support/host-process'

/**
 * Nobody at the desk: a red bulletin pages Mario on the room's bot (the Telegram fake);
 * he takes it, opens the draft and approves it with his PIN; as it is red, Lucia approves
 * too from her phone; after the room's cancel window the SMS go to the gateway fake, and
 * the room shows who approved it and from where.
 */

let host: HostProcess
let feeds: FeedServer
let telegram: FakeTelegram
let gateway: FakeSmsGateway
let api: HostApi

const MARIO = '111111111'
const LUCIA = '222222222'
const FAMILIES = [
  'Nominativo;Cellulare;Comune',
  'Giulia Rossi;347 123 4567;Empoli',
  'Marco Bianchi;348 765 4321;Vinci',
  'Sara Neri;339 123 4567;Certaldo',
].join('\r\n')

test.beforeAll(async () => {
  host = await startHostProcess()
  feeds = await startFeedServer()
  telegram = await startFakeTelegram()
  gateway = await startFakeSmsGateway()
  api = await connectHostApi(host.url, 'Giulia')
})
test.afterAll(async () => {
  api.close()
  await host.stop()
  removeDir(host.dataDir)
  await Promise.all([feeds.close(), telegram.close(), gateway.close()])
})

/** Today's weekday in Rome, 1 = Monday … 7 = Sunday. */
function romeWeekday(): number {
  const day = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Rome', weekday: 'short' })
    .format(new Date())
    .slice(0, 3)
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(day) + 1
}

/** A red CAP bulletin for our zone, valid from an hour ago to tomorrow. */
function redBulletin(): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00')
  return italianCap({
    identifier: 'cfr-piena-notte',
    level: 'rosso',
    event: 'Allerta idraulica',
    headline: 'Allerta rossa per rischio idraulico: Empoli, Vinci, Certaldo',
    sent: iso(Date.now() - 3_600_000),
  })
    .replace(/<onset>[^<]*<\/onset>/, `<onset>${iso(Date.now() - 3_600_000)}</onset>`)
    .replace(/<expires>[^<]*<\/expires>/, `<expires>${iso(Date.now() + 86_400_000)}</expires>`)
}

const lastTo = (chat: string) => telegram.messagesTo(chat).at(-1)?.text ?? ''

test('a red bulletin at night is approved from two phones with PINs and goes out', async ({
  page,
}) => {
  test.setTimeout(150_000)
  const bot = await api.call('channels:create', {
    kind: 'telegram',
    name: 'Bot della sala',
    settings: { baseUrl: telegram.url, chatId: '@pc_empolese' },
    secrets: { botToken: telegram.token },
  } as never)
  const sms = await api.call('channels:create', {
    kind: 'sms_gateway',
    name: 'SMS famiglie',
    settings: {
      baseUrl: gateway.baseUrl,
      username: gateway.username,
      sender: 'ProtCivile',
      messageType: 'GP',
    },
    secrets: { password: gateway.password },
  } as never)
  await api.call('contacts:import', {
    fileName: 'famiglie.csv',
    content: Buffer.from(FAMILIES, 'utf8').toString('base64'),
    dryRun: false,
    list: 'Famiglie',
  } as never)
  const [list] = await api.call('lists:list', {})
  const person = async (name: string, chat: string, phone: string) => {
    telegram.addPerson(chat, name.split(' ')[0]!)
    const { contact } = await api.call('contacts:create', { contact: { name } })
    return (
      await api.call('oncall:savePerson', {
        contactId: contact.id,
        phone,
        telegramChatId: chat,
        email: null,
      })
    ).id
  }
  const mario = await person('Mario Rossi', MARIO, '+393471111111')
  const lucia = await person('Lucia Bianchi', LUCIA, '+393472222222')
  // On call all day today: Mario first, then Lucia.
  await api.call('oncall:saveShift', {
    label: 'Oggi',
    weekday: romeWeekday(),
    starts: '00:00',
    ends: '00:00',
    chain: [mario, lucia],
  })
  await api.call('oncall:updateSettings', {
    telegramAccountId: bot.id,
    smsAccountId: null,
    phone: { accountIds: [sms.id], listIds: [list!.id], maxRecipients: 500 },
  })
  // The ente's link, which the templates' texts carry.
  await api.call('settings:update', { link: 'https://example.org/allerta' } as never)
  await api.call('oncall:setPin', { personId: mario, pin: '73915' })
  await api.call('oncall:setPin', { personId: lucia, pin: '48260' })

  // The regional centre publishes a red bulletin; nobody is in the room.
  feeds.setDocument('cfr.xml', redBulletin(), 'application/xml')
  const source = await api.call('feeds:createSource', {
    name: 'CFR Toscana',
    kind: 'cap',
    url: feeds.url('/doc/cfr.xml'),
    zones: ['EMMA_ID:IT009'],
    internalNetwork: true,
  } as never)
  await api.call('feeds:pollNow', { id: source.id })

  await expect.poll(() => lastTo(MARIO), { timeout: 20_000 }).toMatch(/^VEDETTA — Allerta rossa/)
  const pageMessage = telegram.messagesTo(MARIO)[0]!
  telegram.press(MARIO, pageMessage.messageId, 'Prendo io')
  await expect.poll(() => lastTo(MARIO), { timeout: 20_000 }).toMatch(/^Hai preso in carico/)
  telegram.press(MARIO, pageMessage.messageId, 'Apri bozza')
  await expect
    .poll(() => telegram.messagesTo(MARIO).find((m) => m.text.startsWith('BOZZA n.'))?.text, {
      timeout: 20_000,
    })
    .toContain('SMS famiglie (SMS) — 3 destinatari')
  const draft = telegram.messagesTo(MARIO).find((m) => m.text.startsWith('BOZZA n.'))!.text
  expect(draft).toContain('Serve anche l’approvazione di un secondo reperibile')
  const id = Number(/^BOZZA n\. (\d+)/.exec(draft)![1])

  telegram.say(MARIO, `APPROVA ${id} 73915`)
  await expect
    .poll(() => lastTo(MARIO), { timeout: 20_000 })
    .toMatch(/^Approvazione registrata, in attesa del secondo/)
  await expect
    .poll(() => telegram.messagesTo(LUCIA).some((m) => m.text.startsWith(`BOZZA n. ${id}`)), {
      timeout: 20_000,
    })
    .toBe(true)
  telegram.say(LUCIA, `APPROVA ${id} 48260`)
  await expect
    .poll(() => lastTo(LUCIA), { timeout: 20_000 })
    .toMatch(new RegExp(`^Allerta n\\. ${id} confermata \\(Mario Rossi e Lucia Bianchi`))
  // The PINs left both chats.
  expect(telegram.said(MARIO)).toEqual([])
  expect(telegram.said(LUCIA)).toEqual([])

  // After the room's cancel window the SMS reach the gateway, to the three families.
  await expect
    .poll(() => gateway.orders.flatMap((o) => o.recipients).sort(), { timeout: 40_000 })
    .toEqual(['+393391234567', '+393471234567', '+393487654321'])

  // The room shows who approved it, and from where.
  await page.goto(`${host.url}#/allerta/${id}`)
  await expect(page.getByTestId('alert-confirmed-by')).toContainText(
    'Confermata da Mario Rossi e Lucia Bianchi (da Telegram)',
  )
  await page.goto(`${host.url}#/sala`)
  const journal = page.locator('[data-panel="diario"]')
  await expect(journal).toContainText(
    `Allerta n. ${id} approvata da Mario Rossi e Lucia Bianchi (da Telegram) e confermata`,
  )
})
