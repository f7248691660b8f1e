import { z } from 'zod'
import { matchesFormat } from './formats'
import { CHANNEL_KIND_DESCRIPTORS, type ChannelKind, type SettingField } from './kinds'

const HOST_RE =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$|^\[?[0-9a-fA-F:]+\]?$/
const EMAIL_RE = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/
const ABSOLUTE_PATH_RE = /^(?:\/|[a-zA-Z]:[\\/]|\\\\)/

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value)
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.length > 0
  } catch {
    return false
  }
}

/** Empty strings from a form mean "not given". */
const blankToUndefined = (v: unknown): unknown =>
  typeof v === 'string' && v.trim() === '' ? undefined : v
const toNumber = (v: unknown): unknown => {
  const b = blankToUndefined(v)
  if (typeof b === 'string' && /^-?\d+(?:[.,]\d+)?$/.test(b.trim()))
    return Number(b.trim().replace(',', '.'))
  return b
}

function fieldSchema(field: SettingField): z.ZodType {
  let s: z.ZodType
  switch (field.type) {
    case 'text':
      s = z.string({ error: 'invalid' }).trim().max(500, { error: 'too_long' })
      break
    case 'url':
      s = z.string({ error: 'url' }).trim().refine(isHttpUrl, { error: 'url' })
      break
    case 'host':
      s = z.string({ error: 'host' }).trim().regex(HOST_RE, { error: 'host' })
      break
    case 'port':
      s = z.preprocess(
        toNumber,
        z
          .number({ error: 'port' })
          .int({ error: 'port' })
          .min(1, { error: 'port' })
          .max(65535, { error: 'port' }),
      )
      break
    case 'number': {
      const min = field.min ?? -Infinity
      const max = field.max ?? Infinity
      s = z.preprocess(
        toNumber,
        z
          .number({ error: 'number' })
          .refine((n) => n >= min && n <= max, { error: 'range', params: { min, max } }),
      )
      break
    }
    case 'select':
      s = z.enum(field.options as [string, ...string[]], { error: 'choice' })
      break
    case 'boolean':
      s = z.boolean({ error: 'invalid' })
      break
    case 'email':
      s = z.string({ error: 'email' }).trim().regex(EMAIL_RE, { error: 'email' })
      break
    case 'path':
      s = z.string({ error: 'path' }).trim().regex(ABSOLUTE_PATH_RE, { error: 'path' })
      break
  }
  const format = field.format
  // A value of the right type but not of the provider's shape says which shape (AC…, +39…).
  if (format)
    s = s.refine((v) => typeof v !== 'string' || matchesFormat(format, v), { error: format })
  const withBlank = z.preprocess(blankToUndefined, field.required ? s : s.optional())
  return withBlank
}

const cache = new Map<ChannelKind, z.ZodType<Record<string, unknown>>>()

/** The runtime schema of one kind's settings: unknown keys are refused, blanks mean absent. */
export function settingsSchema(kind: ChannelKind): z.ZodType<Record<string, unknown>> {
  let schema = cache.get(kind)
  if (!schema) {
    const shape: Record<string, z.ZodType> = {}
    for (const field of CHANNEL_KIND_DESCRIPTORS[kind].settings)
      shape[field.key] = fieldSchema(field)
    schema = z.strictObject(shape) as unknown as z.ZodType<Record<string, unknown>>
    cache.set(kind, schema)
  }
  return schema
}

/** Default settings for a new account of this kind. */
export function defaultSettings(kind: ChannelKind): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {}
  for (const f of CHANNEL_KIND_DESCRIPTORS[kind].settings)
    if (f.default !== undefined) out[f.key] = f.default
  return out
}
