import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Mp3Encoder } from '@breezystack/lamejs'
import type { CommandHandlers } from '../../../src/main/core/handlers'
import { CoreError } from '../../../src/main/core/errors'
import { createDispatch } from '../../../src/main/transport/dispatch'
import type { CommandInput, CommandName, CommandOutput } from '../../../src/shared/contract'
import { startFakeTwilioVoice, type FakeTwilioVoice } from '../../fakes/twilio-voice-fake'
import { createTestCore, type TestCore } from '../../support/test-core'

/**
 * An alert whose calls play the operator's recording, through a real core, its
 * dispatcher and the Twilio Calls API on loopback: the preview says how long it plays,
 * confirming publishes it in the website's folder, and the call plays it from there.
 */

let t: TestCore
let fake: FakeTwilioVoice
let www: string
beforeEach(async () => {
  t = createTestCore()
  fake = await startFakeTwilioVoice()
  www = mkdtempSync(join(tmpdir(), 'vedetta-www-'))
})
afterEach(async () => {
  await t.core.shutdown()
  await fake.close()
  rmSync(www, { recursive: true, force: true })
  t.dispose()
})

const call = async <K extends CommandName>(
  handlers: CommandHandlers,
  name: K,
  input: CommandInput<K>,
): Promise<CommandOutput<K>> => {
  const envelope = await createDispatch(handlers)(name, input, { operator: 'Giulia' })
  if (!envelope.ok) throw new CoreError(envelope.error.code as never, envelope.error.message)
  return envelope.value as CommandOutput<K>
}

/** An MP3 made by LAME's JavaScript port, as a phone's recorder or an editor saves it. */
function mp3(seconds: number): Buffer {
  const encoder = new Mp3Encoder(1, 22050, 32)
  const pcm = new Int16Array(Math.round(seconds * 22050))
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(7000 * Math.sin(i / 9))
  const parts: Buffer[] = []
  for (let i = 0; i < pcm.length; i += 1152)
    parts.push(Buffer.from(encoder.encodeBuffer(pcm.subarray(i, i + 1152))))
  parts.push(Buffer.from(encoder.flush()))
  return Buffer.concat(parts)
}

async function voiceAlert(h: CommandHandlers, withWebsite: boolean) {
  if (withWebsite)
    await call(h, 'channels:create', {
      kind: 'website',
      name: 'Sito PC',
      settings: {
        outputDir: www,
        publicBaseUrl: 'https://allerte.empolese.example.it/cap/',
        senderId: 'protezionecivile@empolese.example.it',
      },
      secrets: {},
    })
  const voice = await call(h, 'channels:create', {
    kind: 'voice_twilio',
    name: 'Chiamate',
    settings: {
      baseUrl: fake.url,
      accountSid: fake.accountSid,
      from: '+390571000001',
      language: 'it-IT',
      quietHours: '',
    },
    secrets: { authToken: fake.authToken },
  })
  await call(h, 'contacts:create', { contact: { name: 'Nonna Pina', phones: ['0571 700100'] } })
  const list = await call(h, 'lists:create', {
    list: { kind: 'dynamic', name: 'Tutti', filter: {} },
  })
  return call(h, 'alerts:createDraft', {
    draft: {
      kind: 'idraulico',
      level: 'rosso',
      comuni: [{ name: 'Empoli' }],
      validFrom: new Date(Date.now() - 60_000).toISOString(),
      validTo: new Date(Date.now() + 86_400_000).toISOString(),
      headline: 'Allerta rossa per rischio idraulico',
      texts: {},
      targets: { accountIds: [voice.id], listIds: [list.id], partnerIds: [] },
    },
  })
}

describe('a recording for the calls', () => {
  it('plays for its own length, is published at confirmation, and the call plays it', async () => {
    const h = t.core.handlers
    const alert = await voiceAlert(h, true)
    const recording = await call(h, 'alerts:setRecording', {
      id: alert.id,
      fileName: 'avviso sindaco.mp3',
      content: mp3(12).toString('base64'),
    })
    expect(recording).toMatchObject({ fileName: 'avviso sindaco.mp3', format: 'mp3' })
    expect(Math.abs(recording.seconds - 12)).toBeLessThan(0.2)
    const preview = await call(h, 'alerts:preview', { id: alert.id })
    // No spoken text is needed: the recording is what the person hears.
    expect(preview.ok).toBe(true)
    expect(preview.accounts[0]).toMatchObject({ recording: true, spokenSeconds: 12, messages: 1 })
    // The composer's player gets the same bytes back.
    const back = await call(h, 'alerts:recording', { id: alert.id })
    expect(back?.mimeType).toBe('audio/mpeg')
    expect(Buffer.from(back!.content, 'base64').equals(mp3(12))).toBe(true)

    t.core.start()
    await call(h, 'alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 })
    const file = join(www, 'audio', `${alert.identifier}.mp3`)
    expect(existsSync(file)).toBe(true)
    expect(readFileSync(file).equals(mp3(12))).toBe(true)
    for (let i = 0; i < 200 && fake.calls.length === 0; i++)
      await new Promise((r) => setTimeout(r, 25))
    expect(fake.calls).toHaveLength(1)
    expect(fake.calls[0]).toMatchObject({
      to: '+390571700100',
      play: `https://allerte.empolese.example.it/cap/audio/${alert.identifier}.mp3`,
    })
    // Confirmed, the recording is the version's: it can no longer change.
    await expect(call(h, 'alerts:removeRecording', { id: alert.id })).rejects.toThrow(/confirmed/)
  })

  it('refuses a file that is not audio, and blocks the send while there is nowhere to publish it', async () => {
    const h = t.core.handlers
    const alert = await voiceAlert(h, false)
    await expect(
      call(h, 'alerts:setRecording', {
        id: alert.id,
        fileName: 'verbale.pdf',
        content: Buffer.from('%PDF-1.7 verbale della riunione').toString('base64'),
      }),
    ).rejects.toThrow('Il file non è un WAV né un MP3: carica una registrazione in uno dei due.')
    await call(h, 'alerts:setRecording', {
      id: alert.id,
      fileName: 'avviso.mp3',
      content: mp3(5).toString('base64'),
    })
    const preview = await call(h, 'alerts:preview', { id: alert.id })
    expect(preview.ok).toBe(false)
    expect(preview.accounts[0]!.warnings).toContainEqual(
      expect.objectContaining({ code: 'recording_unpublished', severity: 'error' }),
    )
    await expect(
      call(h, 'alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 }),
    ).rejects.toThrow(/account Sito web/)
    expect((await call(h, 'alerts:get', { id: alert.id })).status).toBe('draft')
    // Taken away, the calls speak the text again.
    await call(h, 'alerts:removeRecording', { id: alert.id })
    expect(await call(h, 'alerts:recording', { id: alert.id })).toBeNull()
  })

  it('is uploaded to the website as its pages are, and a failed publication confirms nothing', async () => {
    const h = t.core.handlers
    const puts: { url: string; type?: string; auth?: string; body: Buffer }[] = []
    let status = 500
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        puts.push({
          url: req.url ?? '',
          body: Buffer.concat(chunks),
          ...(req.headers['content-type'] ? { type: req.headers['content-type'] } : {}),
          ...(req.headers.authorization ? { auth: req.headers.authorization } : {}),
        })
        res.writeHead(status).end()
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const port = (server.address() as AddressInfo).port
      await call(h, 'channels:create', {
        kind: 'website',
        name: 'Sito con caricamento',
        settings: {
          outputDir: www,
          publicBaseUrl: 'https://allerte.empolese.example.it/cap',
          putUrl: `http://127.0.0.1:${port}/dav`,
          senderId: 'protezionecivile@empolese.example.it',
        },
        secrets: { putToken: 'token-del-sito' },
      })
      const alert = await voiceAlert(h, false)
      const audio = mp3(4)
      await call(h, 'alerts:setRecording', {
        id: alert.id,
        fileName: 'avviso.mp3',
        content: audio.toString('base64'),
      })
      // The web server fails: nothing is confirmed, the operator reads why.
      await expect(
        call(h, 'alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 }),
      ).rejects.toThrow(/non è stata pubblicata sul sito/)
      expect((await call(h, 'alerts:get', { id: alert.id })).status).toBe('draft')

      status = 201
      await call(h, 'alerts:confirm', {
        id: alert.id,
        confirmation: 'INVIA',
        cancelWindowSeconds: 600,
      })
      const put = puts.at(-1)!
      expect(put).toMatchObject({
        url: `/dav/audio/${alert.identifier}.mp3`,
        type: 'audio/mpeg',
        auth: 'Bearer token-del-sito',
      })
      expect(put.body.equals(audio)).toBe(true)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    }
  })

  it('confirms nothing when the website folder cannot be written', async () => {
    const h = t.core.handlers
    const blocked = join(www, 'not-a-folder')
    writeFileSync(blocked, 'a file where the folder should be')
    await call(h, 'channels:create', {
      kind: 'website',
      name: 'Sito PC',
      settings: {
        outputDir: blocked,
        publicBaseUrl: 'https://allerte.empolese.example.it/cap',
        senderId: 'protezionecivile@empolese.example.it',
      },
      secrets: {},
    })
    const alert = await voiceAlert(h, false)
    await call(h, 'alerts:setRecording', {
      id: alert.id,
      fileName: 'avviso.mp3',
      content: mp3(3).toString('base64'),
    })
    await expect(
      call(h, 'alerts:confirm', { id: alert.id, confirmation: 'INVIA', cancelWindowSeconds: 0 }),
    ).rejects.toThrow(/non si può scrivere nella cartella del sito/)
    expect((await call(h, 'alerts:get', { id: alert.id })).status).toBe('draft')
  })
})
