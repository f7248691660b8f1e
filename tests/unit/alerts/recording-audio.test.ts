import { describe, expect, it } from 'vitest'
import { Mp3Encoder } from '@breezystack/lamejs'
import { AudioError, readAudio } from '../../../src/main/core/alerts/recording-audio'

/** A PCM WAV file as recorders write it: RIFF header, fmt chunk, a LIST chunk, data. */
function wav(seconds: number, sampleRate = 8000, channels = 1, extra = true): Uint8Array {
  const samples = Math.round(seconds * sampleRate) * channels
  const data = Buffer.alloc(samples * 2)
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(6000 * Math.sin(i / 7)), i * 2)
  const fmt = Buffer.alloc(24)
  fmt.write('fmt ', 0, 'ascii')
  fmt.writeUInt32LE(16, 4)
  fmt.writeUInt16LE(1, 8) // PCM
  fmt.writeUInt16LE(channels, 10)
  fmt.writeUInt32LE(sampleRate, 12)
  fmt.writeUInt32LE(sampleRate * channels * 2, 16)
  fmt.writeUInt16LE(channels * 2, 20)
  fmt.writeUInt16LE(16, 22)
  const list = Buffer.from('LIST\x05\x00\x00\x00INFOx\x00', 'latin1') // odd size, padded
  const head = Buffer.alloc(8)
  head.write('data', 0, 'ascii')
  head.writeUInt32LE(data.length, 4)
  const body = Buffer.concat([Buffer.from('WAVE'), fmt, ...(extra ? [list] : []), head, data])
  const riff = Buffer.alloc(8)
  riff.write('RIFF', 0, 'ascii')
  riff.writeUInt32LE(body.length, 4)
  return new Uint8Array(Buffer.concat([riff, body]))
}

/** An MP3 made by LAME (its JavaScript port), the encoder most recorders use. */
function mp3(seconds: number, sampleRate = 44100, kbps = 64): Uint8Array {
  const encoder = new Mp3Encoder(1, sampleRate, kbps)
  const pcm = new Int16Array(Math.round(seconds * sampleRate))
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(8000 * Math.sin(i / 10))
  const parts: Buffer[] = []
  for (let i = 0; i < pcm.length; i += 1152) {
    const chunk = encoder.encodeBuffer(pcm.subarray(i, i + 1152))
    if (chunk.length) parts.push(Buffer.from(chunk))
  }
  parts.push(Buffer.from(encoder.flush()))
  return new Uint8Array(Buffer.concat(parts))
}

describe('an uploaded recording', () => {
  it('is a WAV whose length is its data over its byte rate, whatever chunks come first', () => {
    expect(readAudio(wav(38))).toEqual({ format: 'wav', mimeType: 'audio/wav', seconds: 38 })
    expect(readAudio(wav(2.5, 16000, 2, false)).seconds).toBeCloseTo(2.5, 3)
  })

  it('is an MP3 from a real encoder, its length read from the frames', () => {
    for (const [seconds, rate, kbps] of [
      [3, 44100, 64],
      [12, 22050, 32],
      [40, 16000, 24],
    ] as const) {
      const facts = readAudio(mp3(seconds, rate, kbps))
      expect(facts.format).toBe('mp3')
      expect(facts.mimeType).toBe('audio/mpeg')
      // An encoder adds its delay and pads the last frame: a few frames of 26–72 ms at most.
      expect(Math.abs(facts.seconds - seconds)).toBeLessThan(0.15)
    }
  })

  it('skips an ID3 tag before the first frame', () => {
    const audio = mp3(3)
    const tag = Buffer.concat([
      Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x14', 'latin1'),
      Buffer.alloc(20),
    ])
    expect(readAudio(new Uint8Array(Buffer.concat([tag, audio]))).seconds).toBeCloseTo(
      readAudio(audio).seconds,
      3,
    )
  })

  it('refuses what is not audio with words a person can act on', () => {
    expect(() => readAudio(new TextEncoder().encode('%PDF-1.7 not a recording at all'))).toThrow(
      new AudioError('Il file non è un WAV né un MP3: carica una registrazione in uno dei due.'),
    )
    expect(() => readAudio(new Uint8Array(4))).toThrow(AudioError)
    const broken = wav(1).subarray(0, 20)
    expect(() => readAudio(broken)).toThrow(/WAV/)
  })
})
