/**
 * What an uploaded recording is and how long it plays: WAV (RIFF PCM) or MP3 (MPEG audio
 * layer III, constant or variable bit rate), the two formats Twilio's <Play> and Vonage's
 * `stream` both accept. Read from the bytes, never from the file name. Written here, not
 * taken from a library: the well-kept reader of the field (music-metadata) is an ES module
 * only, which the core (CommonJS) cannot load, and a length is a few header fields.
 */

export type AudioFormat = 'wav' | 'mp3'

export interface AudioFacts {
  format: AudioFormat
  mimeType: 'audio/wav' | 'audio/mpeg'
  /** How long it plays, in seconds. */
  seconds: number
}

/** Why a file is not a recording Vedetta can send, for a person. */
export class AudioError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'AudioError'
  }
}

export function readAudio(bytes: Uint8Array): AudioFacts {
  if (bytes.length < 16) throw new AudioError('Il file è vuoto o troppo corto per essere audio.')
  const ascii = (at: number, n: number) => String.fromCharCode(...bytes.subarray(at, at + n))
  if (ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WAVE') return readWav(bytes, ascii)
  return readMp3(bytes)
}

function readWav(bytes: Uint8Array, ascii: (at: number, n: number) => string): AudioFacts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let byteRate = 0
  let dataSize = -1
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = ascii(at, 4)
    const size = view.getUint32(at + 4, true)
    if (id === 'fmt ' && at + 16 <= bytes.length) byteRate = view.getUint32(at + 16, true)
    if (id === 'data') {
      // A recorder still writing leaves the size unset (0 or 0xFFFFFFFF): count what is there.
      const there = bytes.length - (at + 8)
      dataSize = size === 0 || size > there ? there : size
      break
    }
    at += 8 + size + (size % 2)
  }
  if (byteRate === 0 || dataSize < 0)
    throw new AudioError('Il file WAV non ha il formato o i dati audio: non si può ascoltare.')
  return { format: 'wav', mimeType: 'audio/wav', seconds: dataSize / byteRate }
}

// Bit rates (kbit/s) by index for layer III: MPEG-1, and MPEG-2/2.5.
const BITRATES = {
  v1: [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  v2: [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
}
const SAMPLE_RATES: Record<number, number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
}

interface Frame {
  length: number
  samples: number
  sampleRate: number
  /** Where the Xing/Info header would be, after the side information. */
  xingAt: number
}

function frameAt(bytes: Uint8Array, at: number): Frame | undefined {
  if (at + 4 > bytes.length) return undefined
  const b1 = bytes[at + 1]!
  const b2 = bytes[at + 2]!
  const b3 = bytes[at + 3]!
  if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) return undefined
  const version = (b1 >> 3) & 3 // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
  const layer = (b1 >> 1) & 3 // 1: layer III
  const bitrateIndex = b2 >> 4
  const rateIndex = (b2 >> 2) & 3
  if (version === 1 || layer !== 1 || bitrateIndex === 0 || bitrateIndex === 15 || rateIndex === 3)
    return undefined
  const mpeg1 = version === 3
  const bitrate = (mpeg1 ? BITRATES.v1 : BITRATES.v2)[bitrateIndex]! * 1000
  const sampleRate = SAMPLE_RATES[version]![rateIndex]!
  const padding = (b2 >> 1) & 1
  const samples = mpeg1 ? 1152 : 576
  const length = Math.floor(((samples / 8) * bitrate) / sampleRate) + padding
  const mono = b3 >> 6 === 3
  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17
  return { length, samples, sampleRate, xingAt: at + 4 + sideInfo }
}

function readMp3(bytes: Uint8Array): AudioFacts {
  let at = 0
  // An ID3v2 tag first (title, cover art): its size is four 7-bit bytes.
  if (bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33 && bytes.length >= 10) {
    at = 10 + ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!)
  }
  // The first frame: a sync word whose next frame is where it says.
  let first: Frame | undefined
  for (; at + 4 <= bytes.length && at < 64 * 1024; at++) {
    const f = frameAt(bytes, at)
    if (f && (at + f.length >= bytes.length || frameAt(bytes, at + f.length))) {
      first = f
      break
    }
  }
  if (!first)
    throw new AudioError('Il file non è un WAV né un MP3: carica una registrazione in uno dei due.')
  const tag = String.fromCharCode(...bytes.subarray(first.xingAt, first.xingAt + 4))
  if ((tag === 'Xing' || tag === 'Info') && first.xingAt + 12 <= bytes.length) {
    const flags = new DataView(bytes.buffer, bytes.byteOffset + first.xingAt + 4, 8)
    if (flags.getUint32(0) & 1) {
      const frames = flags.getUint32(4)
      return {
        format: 'mp3',
        mimeType: 'audio/mpeg',
        seconds: (frames * first.samples) / first.sampleRate,
      }
    }
  }
  let seconds = 0
  for (let f: Frame | undefined = first; f; f = frameAt(bytes, at)) {
    seconds += f.samples / f.sampleRate
    at += f.length
  }
  return { format: 'mp3', mimeType: 'audio/mpeg', seconds }
}
