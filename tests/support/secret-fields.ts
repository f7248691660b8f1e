/**
 * Finds fields named like a secret in anything a transport sends (a command's
 * answer, an event's payload), whatever the nesting: `password`, `botToken`,
 * `apiKey`, `privateKey`, `secrets`, `pin`… A secret never leaves the core, so a
 * field with such a name is a leak unless an entry below says why it is not.
 */

/** Words that make a field name secret, matched on the name's words (`pageAccessToken` → page, access, token). */
const SECRET_WORDS = new Set([
  'token',
  'tokens',
  'password',
  'passwd',
  'passphrase',
  'secret',
  'secrets',
  'key',
  'keys',
  'apikey',
  'pin',
  'pins',
  'credential',
  'credentials',
  'cookie',
])

/** A field that looks like a secret and is not one, with the reason a reviewer accepted. */
export interface SecretAllowance {
  /** Dotted path with `*` for any one segment (array indexes included). */
  path: string
  reason: string
  /** Only when the value passes this test (by default: any value). */
  when?: (value: unknown) => boolean
}

const isBoolean = (v: unknown) => typeof v === 'boolean'
const isNumber = (v: unknown) => typeof v === 'number'
const allBooleans = (v: unknown) =>
  v !== null && typeof v === 'object' && Object.values(v).every((x) => typeof x === 'boolean')

/** Reviewed: each says what the field holds instead of a secret. */
export const SECRET_ALLOWANCES: SecretAllowance[] = [
  {
    path: '**',
    when: isBoolean,
    reason: 'a yes/no saying whether a secret is stored (`passwordSet`, `hasPin`), never its value',
  },
  {
    path: '**.secrets',
    when: allBooleans,
    reason: 'a channel account says which of its secrets are stored, as booleans, never the values',
  },
  {
    path: '**.secretsChanged',
    when: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' && /^\w{1,64}$/.test(x)),
    reason: 'the audit says which secrets an edit replaced, by name (`botToken`), never the values',
  },
  {
    path: '**.idempotencyKey',
    when: (v) => typeof v === 'string',
    reason:
      "an outbox row's de-duplication id, sent to the provider with the message so a retry is not a second SMS: no credential",
  },
  {
    path: '**.tokens',
    when: isNumber,
    reason: "the rate limiter's bucket: how many sends the account may make now, a number",
  },
]

export interface SecretField {
  path: string
  value: unknown
}

/** The words of a field name: camelCase, snake_case and kebab-case split, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

export function isSecretName(name: string): boolean {
  const words = nameWords(name)
  return words.some((w) => SECRET_WORDS.has(w)) || SECRET_WORDS.has(words.join(''))
}

function matches(pattern: string, path: string[]): boolean {
  const p = pattern.split('.')
  const go = (i: number, j: number): boolean => {
    if (i === p.length) return j === path.length
    if (p[i] === '**') return go(i + 1, j) || (j < path.length && go(i, j + 1))
    if (j === path.length) return false
    return (p[i] === '*' || p[i] === path[j]) && go(i + 1, j + 1)
  }
  return go(0, 0)
}

/** Every secret-named field in `value` that no allowance covers, with its dotted path. */
export function findSecretFields(
  value: unknown,
  allowances: SecretAllowance[] = SECRET_ALLOWANCES,
): SecretField[] {
  const found: SecretField[] = []
  const seen = new Set<object>()
  const walk = (v: unknown, path: string[]) => {
    if (v === null || typeof v !== 'object' || seen.has(v)) return
    seen.add(v)
    const entries: [string, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [String(i), x])
      : v instanceof Map
        ? [...v.entries()].map(([k, x]) => [String(k), x])
        : Object.entries(v)
    for (const [k, x] of entries) {
      const at = [...path, k]
      if (!Array.isArray(v) && isSecretName(k)) {
        const allowed = allowances.some((a) => matches(a.path, at) && (a.when?.(x) ?? true))
        if (!allowed) found.push({ path: at.join('.'), value: x })
        if (allowed) continue
      }
      walk(x, at)
    }
  }
  walk(value, [])
  return found
}
