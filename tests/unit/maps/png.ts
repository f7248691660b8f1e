/**
 * A small PNG reader for the golden-image tests: 8-bit RGBA or RGB,
 * non-interlaced (what resvg writes), inflated with node:zlib and unfiltered
 * as the PNG specification's five filters say.
 */
import { inflateSync } from 'node:zlib'

export interface Pixels {
  width: number
  height: number
  /** RGBA, 4 bytes a pixel, rows top to bottom. */
  data: Uint8Array
}

export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG')
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) }
}

export function decodePng(png: Buffer): Pixels {
  const { width, height } = pngSize(png)
  const bitDepth = png[24]
  const colourType = png[25]
  const interlace = png[28]
  if (bitDepth !== 8 || (colourType !== 6 && colourType !== 2) || interlace !== 0) {
    throw new Error(`unsupported PNG: depth ${bitDepth}, colour type ${colourType}`)
  }
  const channels = colourType === 6 ? 4 : 3
  const idat: Buffer[] = []
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at)
    const type = png.subarray(at + 4, at + 8).toString('latin1')
    if (type === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length))
    at += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * channels
  const out = new Uint8Array(width * height * 4)
  let prev = new Uint8Array(stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const cur = new Uint8Array(stride)
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0
      const b = prev[i]!
      const c = i >= channels ? prev[i - channels]! : 0
      let v = line[i]!
      if (filter === 1) v += a
      else if (filter === 2) v += b
      else if (filter === 3) v += (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      } else if (filter !== 0) throw new Error(`bad PNG filter ${filter} on row ${y}`)
      cur[i] = v & 0xff
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 4; k++) {
        out[(y * width + x) * 4 + k] = k < channels ? cur[x * channels + k]! : 255
      }
    }
    prev = cur
  }
  return { width, height, data: out }
}

/** The share of pixels whose colour differs by more than `threshold` in some channel. */
export function differingShare(a: Pixels, b: Pixels, threshold = 24): number {
  if (a.width !== b.width || a.height !== b.height) return 1
  let differing = 0
  for (let i = 0; i < a.data.length; i += 4) {
    for (let k = 0; k < 4; k++) {
      if (Math.abs(a.data[i + k]! - b.data[i + k]!) > threshold) {
        differing++
        break
      }
    }
  }
  return differing / (a.width * a.height)
}
