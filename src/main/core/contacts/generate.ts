import Papa from 'papaparse'

/** A contact as a school or municipal office would list it, before normalization. */
export interface GeneratedContact {
  name: string
  /** As offices write them: `347 123 4567`, `+39 347-1234567`, `0039 3471234567`, `0571/123456`… */
  phones: string[]
  email: string | null
  telegram: string | null
  comune: string
  roles: string[]
  institution: string | null
  language: string
}

const FIRST_NAMES = [
  'Marco',
  'Giulia',
  'Luca',
  'Francesca',
  'Andrea',
  'Chiara',
  'Matteo',
  'Sara',
  'Lorenzo',
  'Martina',
  'Alessandro',
  'Elena',
  'Davide',
  'Valentina',
  'Simone',
  'Alessia',
  'Federico',
  'Giorgia',
  'Niccolò',
  'Beatrice',
  'Tommaso',
  'Anna',
  'Riccardo',
  'Ilaria',
  'Gabriele',
  'Silvia',
  'Filippo',
  'Laura',
  'Jacopo',
  'Caterina',
  'Leonardo',
  'Benedetta',
  'Pietro',
  'Cristina',
  'Stefano',
  'Irene',
  'Paolo',
  'Federica',
  'Giovanni',
  'Elisa',
  'Mattia',
  'Marta',
  'Emanuele',
  'Roberta',
  'Samuele',
  'Noemi',
  'Daniele',
  'Lucia',
  'Edoardo',
  'Arianna',
  'Ionuț',
  'Andreea',
  'Ardit',
  'Elona',
  'Youssef',
  'Fatima',
  'Wei',
  'Xiaoling',
  'Jordan',
  'Emily',
]

const LAST_NAMES = [
  'Rossi',
  'Bianchi',
  'Innocenti',
  'Bartolini',
  'Mancini',
  'Cecchi',
  'Bagnoli',
  'Giannini',
  'Fabbri',
  'Baldi',
  'Meucci',
  'Lotti',
  'Bini',
  'Cappelli',
  'Mazzanti',
  'Frediani',
  'Gori',
  'Martini',
  'Ciampi',
  'Conti',
  'Niccolai',
  'Pieraccini',
  'Tognetti',
  'Salvadori',
  'Fiaschi',
  'Bellucci',
  'Brogi',
  'Dei',
  'Parri',
  'Taddei',
  'Guarducci',
  'Masini',
  'Bandini',
  'Chiti',
  'Falorni',
  'Morelli',
  'Pucci',
  'Lazzeri',
  'Nardi',
  'Scardigli',
  'Corsinovi',
  'Mannucci',
  "D'Angelo",
  'Dell’Agnello',
  'Sanità',
  'Galligani',
  'Popescu',
  'Hoxha',
  'El Amrani',
  'Chen',
  'Smith',
]

/** The eleven comuni, weighted roughly by population (Empoli is the largest). */
const COMUNI: readonly (readonly [name: string, weight: number, areaCode: string])[] = [
  ['Empoli', 49, '0571'],
  ['Fucecchio', 23, '0571'],
  ['Castelfiorentino', 17, '0571'],
  ['Certaldo', 16, '0571'],
  ['Vinci', 15, '0571'],
  ['Montespertoli', 13, '055'],
  ['Montelupo Fiorentino', 14, '0571'],
  ['Cerreto Guidi', 11, '0571'],
  ['Capraia e Limite', 8, '0571'],
  ['Gambassi Terme', 5, '0571'],
  ['Montaione', 4, '0571'],
]

const SCHOOLS = [
  'Istituto Checchi',
  'Istituto Enriques',
  'IC Empoli Est',
  'IC Empoli Ovest',
  'IC Vinci',
  'IC Certaldo',
  'IC Fucecchio',
  'IC Castelfiorentino',
  'IC Montelupo Fiorentino',
  'IC Montespertoli',
]

const ROLES: readonly (readonly [role: string, weight: number, school: boolean])[] = [
  ['genitore', 62, true],
  ['docente', 10, true],
  ['personale scolastico', 5, true],
  ['volontario', 14, false],
  ['tecnico comunale', 4, false],
  ['assessore', 2, false],
  ['polizia municipale', 2, false],
  ['sindaco', 1, false],
]

const LANGUAGES: readonly (readonly [code: string, weight: number])[] = [
  ['it', 88],
  ['ro', 3],
  ['sq', 3],
  ['ar', 2],
  ['zh', 2],
  ['en', 2],
]

/** Mobile prefixes of the Italian operators (all `MOBILE` for libphonenumber). */
const MOBILE_PREFIXES = [
  '320',
  '324',
  '327',
  '328',
  '329',
  '330',
  '331',
  '333',
  '334',
  '335',
  '336',
  '338',
  '339',
  '340',
  '342',
  '345',
  '346',
  '347',
  '348',
  '349',
  '351',
  '366',
  '370',
  '377',
  '380',
  '388',
  '389',
  '391',
  '392',
  '393',
]

/** mulberry32: a small, fast, seedable generator (deterministic across runs and platforms). */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function weighted<T extends readonly [unknown, number, ...unknown[]]>(
  items: readonly T[],
  r: number,
): T {
  const total = items.reduce((sum, item) => sum + item[1], 0)
  let x = r * total
  for (const item of items) {
    x -= item[1]
    if (x < 0) return item
  }
  return items[items.length - 1] as T
}

const pick = <T>(items: readonly T[], r: number): T => items[Math.floor(r * items.length)] as T

/** Distinct for distinct `k` below 10^7 (7919 is coprime with 10^7). */
const sevenDigits = (k: number, seed: number): string =>
  String((k * 7919 + seed * 104729) % 10_000_000).padStart(7, '0')

/** A local landline number that does not start with 0 or 1, distinct for distinct `k`. */
const landlineDigits = (k: number, seed: number, length: 6 | 7): string => {
  const span = 8 * 10 ** (length - 1)
  return String(((k * 7919 + seed * 104729) % span) + 2 * 10 ** (length - 1))
}

/** Writes a mobile number the way a person might have typed it. */
function formatMobile(prefix: string, digits: string, style: number): string {
  switch (style) {
    case 0:
      return `${prefix} ${digits.slice(0, 3)} ${digits.slice(3)}`
    case 1:
      return `+39 ${prefix}-${digits}`
    case 2:
      return `0039 ${prefix}${digits}`
    case 3:
      return `${prefix}/${digits}`
    default:
      return `${prefix}${digits}`
  }
}

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '')

/**
 * Deterministic, realistic contacts for benchmarks and tests: Italian (and some
 * foreign) names, unique numbers (about 1 in 10 a landline, some people with
 * two), e-mails on reserved example domains, the eleven comuni weighted by
 * population, roles, schools and languages. The same (n, seed) always gives
 * the same list. Numbers and e-mails are unique within one list.
 */
export function generateContacts(n: number, seed = 1): GeneratedContact[] {
  if (!Number.isInteger(n) || n < 0 || n >= 5_000_000) throw new RangeError('n must be 0…4,999,999')
  const rand = prng(seed)
  const out: GeneratedContact[] = []
  for (let i = 0; i < n; i++) {
    const first = pick(FIRST_NAMES, rand())
    const last = pick(LAST_NAMES, rand())
    const [comune, , areaCode] = weighted(COMUNI, rand())
    const [role, , atSchool] = weighted(ROLES, rand())
    const phones: string[] = []
    const kind = rand()
    if (kind < 0.1) {
      const local = landlineDigits(i, seed, areaCode === '055' ? 7 : 6)
      phones.push(rand() < 0.5 ? `${areaCode} ${local}` : `${areaCode}/${local}`)
    } else {
      phones.push(
        formatMobile(
          MOBILE_PREFIXES[i % MOBILE_PREFIXES.length] as string,
          sevenDigits(i, seed),
          Math.floor(rand() * 5),
        ),
      )
    }
    if (rand() < 0.12) {
      const k = i + 5_000_000
      phones.push(
        formatMobile(
          MOBILE_PREFIXES[k % MOBILE_PREFIXES.length] as string,
          sevenDigits(k, seed),
          Math.floor(rand() * 5),
        ),
      )
    }
    const domain = pick(['example.com', 'example.org', 'example.net'], rand())
    const email = rand() < 0.75 ? `${ascii(first)}.${ascii(last)}${i}@${domain}` : null
    const telegram =
      rand() < 0.1 ? `${ascii(first)}_${ascii(last)}_${i}`.slice(0, 32).replace(/_+$/, '') : null
    out.push({
      name: `${first} ${last}`,
      phones,
      email,
      telegram: telegram && telegram.length >= 5 ? telegram : null,
      comune,
      roles: [role],
      institution: atSchool ? pick(SCHOOLS, rand()) : null,
      language: weighted(LANGUAGES, rand())[0],
    })
  }
  return out
}

/** The generated contacts as an Italian office's CSV export (`;`, Italian headers). */
export function generatedContactsCsv(
  contacts: readonly GeneratedContact[],
  delimiter: ';' | ',' = ';',
): string {
  return Papa.unparse(
    {
      fields: [
        'Nominativo',
        'Telefono',
        'E-mail',
        'Telegram',
        'Comune',
        'Ruolo',
        'Scuola',
        'Lingua',
      ],
      data: contacts.map((c) => [
        c.name,
        c.phones.join(', '),
        c.email ?? '',
        c.telegram ?? '',
        c.comune,
        c.roles.join(', '),
        c.institution ?? '',
        c.language,
      ]),
    },
    { delimiter, newline: '\r\n' },
  )
}
