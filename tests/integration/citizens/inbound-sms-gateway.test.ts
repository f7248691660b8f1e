import { afterEach, describe, expect, it } from 'vitest'
import {
  createSmsGatewayInbound,
  formatGatewayDate,
  senderToE164,
} from '../../../src/main/core/citizens/inbound/sms-gateway'
import { HOSTILE_TEXTS } from '../../fakes/inbound/hostile-texts'
import {
  startFakeGatewayReceived,
  type FakeGatewayReceived,
} from '../../fakes/inbound/gateway-received'
import { inboundContext, openInbox, wirePolling, type Inbox } from './support'

let fake: FakeGatewayReceived | undefined
let inbox: Inbox | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
  inbox?.dispose()
  inbox = undefined
})

// 12:00 UTC in February is 13:00 in Rome.
const NOW = '2026-02-07T12:00:00.000Z'

async function setup(password?: string) {
  inbox = openInbox()
  inbox.setNow(NOW)
  const box = inbox
  fake = await startFakeGatewayReceived()
  const accountId = box.addAccount('sms_gateway')
  const poller = createSmsGatewayInbound(
    {
      id: accountId,
      kind: 'sms_gateway',
      settings: {
        baseUrl: `${fake.url}/API/v1.0/REST/`,
        username: fake.username,
        sender: 'PCEmpolese',
        messageType: 'GP',
      },
    },
    inboundContext(box, { password: password ?? fake.password }),
  )
  return { fake, inbox: box, poller, polling: wirePolling(box, poller), accountId }
}

const historyRequests = (fake: FakeGatewayReceived) =>
  fake.requests.filter((r) => r.path.endsWith('/srsmshistory'))

describe('SMS replies through the gateway', () => {
  it('logs in, reads the last day on Rome time, and stores senders in E.164', async () => {
    const { fake, inbox, polling, accountId } = await setup()
    fake.receive({ sender: '+393471234567', message: 'OK, grazie', smsDate: '20260207124501' })
    fake.receive({
      sender: '393339876543',
      message: 'Ma la scuola è chiusa?',
      smsDate: '20260207125959',
    })
    fake.receive({ sender: '00393401112222', message: 'STOP', smsDate: '20260206140000' })
    // Older than a day: the first poll does not reach back to it.
    fake.receive({ sender: '+393401112222', message: 'vecchio', smsDate: '20260206080000' })
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 3 })
    const req = historyRequests(fake)[0]
    expect(req?.query).toMatchObject({ from: '20260206130000', pageNumber: '1', pageSize: '100' })
    expect(req?.headers.user_key).toBe('UK777')
    expect(req?.headers.session_key).toMatch(/^SK1x/)
    const stored = inbox.service.page({}).items
    expect(stored.map((m) => [m.authorHandle, m.text, m.receivedAt])).toEqual([
      ['+393339876543', 'Ma la scuola è chiusa?', '2026-02-07T11:59:59.000Z'],
      ['+393471234567', 'OK, grazie', '2026-02-07T11:45:01.000Z'],
      ['+393401112222', 'STOP', '2026-02-06T13:00:00.000Z'],
    ])
    expect(polling.store.get(accountId)?.cursor).toBe('20260207125959')
  })

  it('reads again from the newest second, storing nothing twice', async () => {
    const { fake, inbox, polling } = await setup()
    fake.receive({ sender: '+393471234567', message: 'uno', smsDate: '20260207125959' })
    await polling.poll()
    fake.receive({ sender: '+393471234567', message: 'due', smsDate: '20260207125959' })
    expect(await polling.poll()).toMatchObject({ fetched: 2, received: 1 })
    expect(historyRequests(fake)[1]?.query.from).toBe('20260207125959')
    expect(inbox.service.counts().nuovo).toBe(2)
  })

  it('walks every page of a busy hour', async () => {
    const { fake, polling } = await setup()
    for (let i = 0; i < 250; i++) {
      fake.receive({
        sender: '+39347' + String(1000000 + i),
        message: `ok ${i}`,
        smsDate: `2026020712${String(Math.floor(i / 60)).padStart(2, '0')}${String(i % 60).padStart(2, '0')}`,
      })
    }
    expect(await polling.poll()).toMatchObject({ received: 250 })
    expect(historyRequests(fake).map((r) => r.query.pageNumber)).toEqual(['1', '2', '3'])
  })

  it('logs in again once when the session expired', async () => {
    const { fake, polling } = await setup()
    await polling.poll()
    fake.expireSession()
    fake.receive({ sender: '+393471234567', message: 'ancora io', smsDate: '20260207125000' })
    expect(await polling.poll()).toMatchObject({ outcome: 'ok', received: 1 })
    expect(fake.logins()).toBe(2)
  })

  it('refuses wrong credentials as auth, never quoting the password', async () => {
    const { polling, accountId } = await setup('wrong-Password-77')
    expect(await polling.poll()).toMatchObject({ error: { code: 'auth' } })
    expect(polling.store.get(accountId)?.lastError).not.toContain('wrong-Password-77')
  })

  it('honours Retry-After, and keeps hostile texts as text', async () => {
    const { fake, inbox, polling } = await setup()
    fake.rateLimitNext(1, 300)
    const limited = await polling.poll()
    expect(limited).toMatchObject({ error: { code: 'rate_limited' } })
    expect(Date.parse(limited.nextPollAt ?? '') - inbox.now().getTime()).toBe(300_000)
    fake.receive({
      sender: '+393471234567',
      message: HOSTILE_TEXTS.controlChars,
      smsDate: '20260207125000',
    })
    await polling.poll()
    const [stored] = inbox.service.page({}).items
    expect(stored?.text).toBe(HOSTILE_TEXTS.controlChars)
    expect(stored?.flags.suspicious).toEqual(['control'])
  })
})

describe('gateway dates and numbers', () => {
  it('writes dates on Rome wall-clock time, summer and winter', () => {
    expect(formatGatewayDate(Date.parse('2026-02-07T12:00:00Z'))).toBe('20260207130000')
    expect(formatGatewayDate(Date.parse('2026-07-01T22:30:05Z'))).toBe('20260702003005')
  })

  it('reads Italian numbers in every way the gateway writes them', () => {
    expect(senderToE164('+393471234567')).toBe('+393471234567')
    expect(senderToE164('393471234567')).toBe('+393471234567')
    expect(senderToE164('00393471234567')).toBe('+393471234567')
    expect(senderToE164('3471234567')).toBe('+393471234567')
    expect(senderToE164('+33612345678')).toBe('+33612345678')
    expect(senderToE164('INFO')).toBe('INFO')
  })
})
