import { describe, expect, it } from 'vitest'
import type { AdapterConfig } from '../../../src/main/core/channels/adapter'
import { createTelegramAdapter } from '../../../src/main/core/channels/adapters/telegram'
import {
  splitTelegramText,
  splitWithCaption,
  TELEGRAM_MAX_CAPTION,
  TELEGRAM_MAX_TEXT,
} from '../../../src/main/core/channels/adapters/telegram-split'
import type { MultipartBody } from '../../fakes/http-fake'
import { startFakeTelegram } from '../../fakes/telegram-fake'
import { mapImage } from '../../support/map-image'
import { expectFailure, toPage, track } from './http-helpers'

async function setup() {
  const fake = track(await startFakeTelegram())
  const config: AdapterConfig = {
    accountId: 3,
    name: 'Canale Telegram',
    settings: { baseUrl: fake.url, chatId: '@pc_empolese' },
    secrets: { botToken: fake.token },
  }
  return { fake, adapter: createTelegramAdapter(config, { timeoutMs: 2_000 }) }
}

const paragraphs = (n: number, each = 400) =>
  Array.from({ length: n }, (_, i) =>
    `Paragrafo ${i + 1}. ${'State lontani dagli argini e dai sottopassi. '.repeat(Math.ceil(each / 45))}`.trim(),
  ).join('\n\n')

describe('splitting a text that goes with a photo', () => {
  it('keeps a caption of up to 1024 units whole', () => {
    expect(splitWithCaption('a'.repeat(TELEGRAM_MAX_CAPTION))).toEqual([
      'a'.repeat(TELEGRAM_MAX_CAPTION),
    ])
  })

  it('gives the photo the first paragraphs and the rest to messages, losing no word', () => {
    const text = paragraphs(14)
    const [caption, ...rest] = splitWithCaption(text)
    expect(caption!.length).toBeLessThanOrEqual(TELEGRAM_MAX_CAPTION)
    expect(caption!.startsWith('Paragrafo 1.')).toBe(true)
    for (const part of rest) {
      expect(part.length).toBeLessThanOrEqual(TELEGRAM_MAX_TEXT)
      expect(part.startsWith('Paragrafo')).toBe(true)
    }
    expect([caption, ...rest].join('\n\n')).toBe(text)
    // The messages after the photo are as long as Telegram allows, not caption-sized.
    expect(rest.length).toBe(splitTelegramText(text.slice(caption!.length + 2)).length)
  })
})

describe('Telegram posts with the map card', () => {
  it('sends the photo with the text as caption (multipart sendPhoto)', async () => {
    const { fake, adapter } = await setup()
    const image = mapImage()
    const outcome = await adapter.send(toPage('Allerta arancione su Empoli e Vinci', { image }))
    expect(outcome).toEqual({ status: 'sent', providerId: '100' })
    const req = fake.requests.find((r) => r.path.endsWith('/sendPhoto'))
    const form = req?.body as MultipartBody
    expect(form.fields).toMatchObject({
      chat_id: '@pc_empolese',
      caption: 'Allerta arancione su Empoli e Vinci',
    })
    expect(form.files.photo?.type).toBe('image/png')
    expect(form.files.photo?.bytes.equals(Buffer.from(image.png))).toBe(true)
    expect(fake.messages[0]).toMatchObject({ text: 'Allerta arancione su Empoli e Vinci' })
    expect(fake.messages[0]?.photo).toBeDefined()
  })

  it('past 1024 characters the photo carries the first part and the rest follows as messages', async () => {
    const { fake, adapter } = await setup()
    const text = paragraphs(14)
    const parts = splitWithCaption(text)
    const outcome = await adapter.send(toPage(text, { image: mapImage() }))
    expect(fake.messages.map((m) => m.text)).toEqual(parts)
    expect(fake.messages[0]?.photo).toBeDefined()
    expect(fake.messages.slice(1).every((m) => m.photo === undefined)).toBe(true)
    expect(outcome).toEqual({
      status: 'sent',
      providerId: '100',
      partIds: parts.slice(1).map((_, i) => String(101 + i)),
    })
  })

  it('replies under an earlier post with the photo too', async () => {
    const { fake, adapter } = await setup()
    await adapter.send(toPage('Allerta'))
    await adapter.send(toPage('Aggiornamento', { image: mapImage(), inReplyTo: '100' }))
    expect(fake.messages[1]).toMatchObject({ replyTo: 100, text: 'Aggiornamento' })
  })

  it('posts the text alone with a warning when Telegram refuses the photo', async () => {
    const { fake, adapter } = await setup()
    const broken = { ...mapImage(), png: new Uint8Array([1, 2, 3]) }
    const outcome = await adapter.send(toPage('Allerta rossa', { image: broken }))
    expect(outcome).toMatchObject({ status: 'sent', providerId: '100' })
    if (outcome.status !== 'sent') throw new Error('expected sent')
    expect(outcome.warning).toMatch(/^mappa non allegata: .*IMAGE_PROCESS_FAILED/)
    expect(fake.messages).toEqual([
      expect.objectContaining({ text: 'Allerta rossa', messageId: 100 }),
    ])
    expect(fake.messages[0]?.photo).toBeUndefined()
  })

  it('splits the text as any text when it falls back from the photo', async () => {
    const { fake, adapter } = await setup()
    const text = paragraphs(14)
    const broken = { ...mapImage(), png: new Uint8Array([1, 2, 3]) }
    const outcome = await adapter.send(toPage(text, { image: broken }))
    expect(outcome.status).toBe('sent')
    expect(fake.messages.map((m) => m.text)).toEqual(splitTelegramText(text))
  })

  it('never posts the photo twice: a photo that may have gone out is uncertain, not retried as text', async () => {
    const { fake, adapter } = await setup()
    fake.failNext(1, 502)
    const failure = expectFailure(await adapter.send(toPage('Allerta', { image: mapImage() })))
    expect(failure.retry).toBe('uncertain')
    expect(fake.requests.filter((r) => r.path.endsWith('/sendMessage'))).toHaveLength(0)
  })

  it('does not fall back to text when the chat itself fails (the text would fail the same)', async () => {
    const { fake, adapter } = await setup()
    fake.chats.get('@pc_empolese')!.kicked = true
    const failure = expectFailure(await adapter.send(toPage('Allerta', { image: mapImage() })))
    expect(failure.code).toBe('bot_removed')
    expect(fake.requests.filter((r) => r.path.endsWith('/sendMessage'))).toHaveLength(0)
  })

  it('resumes after the photo: a retry sends only the parts still missing', async () => {
    const { fake, adapter } = await setup()
    const text = paragraphs(14)
    const message = toPage(text, { image: mapImage() })
    fake.passNext(1)
    fake.rateLimitNext(1, 3)
    expectFailure(await adapter.send(message))
    const outcome = await adapter.send(message)
    expect(outcome.status).toBe('sent')
    expect(fake.messages.map((m) => m.text)).toEqual(splitWithCaption(text))
    expect(fake.messages.filter((m) => m.photo)).toHaveLength(1)
  })
})
