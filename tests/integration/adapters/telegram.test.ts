import { describe, expect, it } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { createTelegramAdapter } from '../../../src/main/core/channels/adapters/telegram'
import {
  splitTelegramText,
  TELEGRAM_MAX_TEXT,
} from '../../../src/main/core/channels/adapters/telegram-split'
import { startFakeTelegram } from '../../fakes/telegram-fake'
import { expectFailure, expectNoSecrets, toPage, toPerson, track } from './http-helpers'

async function setup(settings: Record<string, unknown> = {}, token?: string) {
  const fake = track(await startFakeTelegram())
  const config: AdapterConfig = {
    accountId: 3,
    name: 'Canale Telegram',
    settings: { baseUrl: fake.url, chatId: '@pc_empolese', ...settings },
    secrets: { botToken: token ?? fake.token },
  }
  return { fake, adapter: createTelegramAdapter(config, { timeoutMs: 2_000 }) }
}

/** A bulletin of `n` paragraphs of about 1000 characters each. */
function bulletin(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    `Paragrafo ${i + 1}. ${'Il fiume Arno è in piena, state lontani dagli argini. '.repeat(18)}`.trim(),
  ).join('\n\n')
}

describe('splitting long Telegram texts', () => {
  it('keeps a text of exactly 4096 units whole', () => {
    expect(splitTelegramText('a'.repeat(TELEGRAM_MAX_TEXT))).toEqual([
      'a'.repeat(TELEGRAM_MAX_TEXT),
    ])
  })

  it('cuts on paragraph boundaries and loses no word', () => {
    const text = bulletin(9)
    const parts = splitTelegramText(text)
    expect(parts.length).toBeGreaterThan(1)
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT)
      expect(part.startsWith('Paragrafo')).toBe(true)
    }
    expect(parts.join('\n\n')).toBe(text)
  })

  it('falls back to line, then word boundaries', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `Riga ${i} del comunicato`).join('\n')
    for (const part of splitTelegramText(lines)) expect(part.endsWith('del comunicato')).toBe(true)
    const words = 'allerta '.repeat(1200).trim()
    for (const part of splitTelegramText(words)) expect(part.endsWith('allerta')).toBe(true)
  })

  it('never splits an emoji in an unbroken run', () => {
    const text = `${'x'.repeat(4095)}🌊${'y'.repeat(10)}`
    const parts = splitTelegramText(text)
    expect(parts).toEqual(['x'.repeat(4095), `🌊${'y'.repeat(10)}`])
  })
})

describe('Telegram adapter against a loopback Bot API', () => {
  it('reaches a person by chat id, and a public username as @name', async () => {
    const { fake, adapter } = await setup()
    fake.addChat({ id: '987654321', title: 'Maria', type: 'private' })
    fake.addChat({ id: '@genitori_checchi', title: 'Genitori Checchi', type: 'group' })
    expect(await adapter.send(toPerson('987654321', 'Allerta neve'))).toMatchObject({
      status: 'sent',
    })
    expect(await adapter.send(toPerson('genitori_checchi', 'Allerta neve'))).toMatchObject({
      status: 'sent',
    })
    expect(fake.messages.map((m) => m.chatId)).toEqual(['987654321', '@genitori_checchi'])
  })

  it('posts to the configured channel and returns the message id', async () => {
    const { fake, adapter } = await setup()
    const outcome = await adapter.send(toPage('Allerta gialla per temporali'))
    expect(outcome).toEqual({ status: 'sent', providerId: '100' })
    expect(fake.requests[0]?.body).toEqual({
      chat_id: '@pc_empolese',
      text: 'Allerta gialla per temporali',
    })
  })

  it('writes to a person’s chat when the destination is a person', async () => {
    const { fake, adapter } = await setup()
    fake.addChat({ id: '555', title: 'Mario', type: 'private' })
    expect((await adapter.send(toPerson('555', 'Ciao'))).status).toBe('sent')
    expect(fake.messages[0]?.chatId).toBe('555')
  })

  it('splits a long bulletin into several messages, in order, with their ids', async () => {
    const { fake, adapter } = await setup()
    const text = bulletin(9)
    const outcome = await adapter.send(toPage(text))
    const parts = splitTelegramText(text)
    expect(fake.messages.map((m) => m.text)).toEqual(parts)
    expect(outcome).toEqual({
      status: 'sent',
      providerId: '100',
      partIds: parts.slice(1).map((_, i) => String(101 + i)),
    })
  })

  it('resumes a split message after a failure instead of repeating published parts', async () => {
    const { fake, adapter } = await setup()
    const message = toPage(bulletin(9))
    const parts = splitTelegramText(message.text)
    fake.passNext(1)
    fake.rateLimitNext(1, 3)
    const failure = expectFailure(await adapter.send(message))
    expect(failure).toMatchObject({ retry: 'transient', code: 'rate_limited', retryAfterMs: 3_000 })
    expect(failure.reason).toContain(`1 parti su ${parts.length}`)
    const outcome = await adapter.send(message)
    expect(fake.messages.map((m) => m.text)).toEqual(parts)
    expect(outcome).toMatchObject({ status: 'sent', providerId: '100' })
  })

  it('replies to an earlier post', async () => {
    const { fake, adapter } = await setup()
    await adapter.send(toPage('Primo'))
    await adapter.send(toPage('Aggiornamento', { inReplyTo: '100' }))
    expect(fake.messages[1]?.replyTo).toBe(100)
  })

  it('honours retry_after on 429', async () => {
    const { fake, adapter } = await setup()
    fake.rateLimitNext(1, 17)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'transient',
      code: 'rate_limited',
      retryAfterMs: 17_000,
    })
  })

  it('explains a chat that does not exist', async () => {
    const { adapter } = await setup({ chatId: '@non_esiste' })
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'chat_not_found' })
    expect(failure.reason).toContain('Chat Telegram non trovata')
    expect(failure.detail).toBe('Bad Request: chat not found')
  })

  it('explains a bot kicked from the channel', async () => {
    const { fake, adapter } = await setup()
    fake.addChat({ id: '@pc_empolese', title: 'PC', type: 'channel', kicked: true })
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'bot_removed' })
    expect(await adapter.testConnection()).toMatchObject({ ok: false })
  })

  it('tells the new chat id when a group became a supergroup', async () => {
    const { fake, adapter } = await setup({ chatId: '-4242' })
    fake.addChat({ id: '-4242', title: 'Gruppo', type: 'group', migratedTo: -1009876543210 })
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'chat_migrated' })
    expect(failure.reason).toContain('-1009876543210')
  })

  it('fails permanently on a revoked token and never shows it', async () => {
    const { fake, adapter } = await setup({}, '987654321:AAWrongTokenWrongTokenWrongToken')
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'permanent', code: 'auth' })
    // The token was in the URL the fake received, and nowhere in what we report.
    expect(fake.requests[0]?.path).toContain('987654321:AAWrongToken')
    expectNoSecrets(failure, ['987654321:AAWrongTokenWrongTokenWrongToken', 'AAWrongToken'])
  })

  it('keeps the token out of network errors', async () => {
    const { fake, adapter } = await setup()
    await fake.close()
    const failure = expectFailure(await adapter.send(toPage('Prova')))
    expect(failure).toMatchObject({ retry: 'transient', code: 'network' })
    expectNoSecrets(failure, [fake.token, fake.token.split(':')[1] ?? 'x'])
    expectNoSecrets(await adapter.testConnection(), [fake.token])
  })

  it('treats a Bad Gateway as maybe sent: the Bot API has no idempotency key', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 502)
    expect(expectFailure(await adapter.send(toPage('Prova')))).toMatchObject({
      retry: 'uncertain',
      code: 'provider_error',
    })
  })

  it('refuses an empty text with Telegram’s words', async () => {
    const { adapter } = await setup()
    expect(expectFailure(await adapter.send(toPage('  ')))).toMatchObject({
      retry: 'permanent',
      code: 'empty_text',
    })
  })

  it('checks the bot and its access to the chat', async () => {
    const { adapter } = await setup()
    expect(await adapter.testConnection()).toEqual({
      ok: true,
      message: 'Bot @VedettaPcBot pronto a scrivere in «Protezione Civile Empolese»',
      code: 'telegram_bot',
      params: { bot: 'VedettaPcBot', chat: 'Protezione Civile Empolese' },
    })
  })
})
