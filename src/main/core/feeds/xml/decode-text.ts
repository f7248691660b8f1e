import { FeedError } from '../errors'

const XML_DECLARATION = /^<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']/

function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  return null
}

function declaredXmlEncoding(bytes: Uint8Array): string | null {
  // The declaration is ASCII by definition; latin1 reads it from any ASCII-compatible encoding.
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1')
  const label = XML_DECLARATION.exec(head)?.[1] ?? null
  // A UTF-16 declaration without a BOM over ASCII bytes was transcoded on the way: ignore it.
  if (label && /^utf-?16/i.test(label)) return null
  return label
}

function decodeStrict(bytes: Uint8Array, label: string, origin: string): string {
  let decoder: InstanceType<typeof TextDecoder>
  try {
    decoder = new TextDecoder(label, { fatal: true })
  } catch {
    throw new FeedError('encoding', `codifica dei caratteri "${label}" (${origin}) non supportata`)
  }
  try {
    return decoder.decode(bytes)
  } catch {
    throw new FeedError(
      'encoding',
      `il documento contiene byte non validi per la codifica dichiarata "${label}" (${origin}): ` +
        'la codifica dichiarata è sbagliata',
    )
  }
}

/**
 * Decodes an XML document. The encoding comes from the byte-order mark, then the XML
 * declaration, then the HTTP charset, then UTF-8. The declaration wins over HTTP because it
 * travels with the bytes, while servers often label every file with a default charset.
 * Bytes invalid in the chosen encoding fail loudly instead of producing garbled text.
 */
export function decodeXmlBytes(bytes: Uint8Array, httpCharset?: string | null): string {
  const bom = bomEncoding(bytes)
  if (bom) return decodeStrict(bytes, bom, 'BOM')
  const declared = declaredXmlEncoding(bytes)
  if (declared) return decodeStrict(bytes, declared, 'dichiarazione XML')
  if (httpCharset) return decodeStrict(bytes, httpCharset, 'intestazione HTTP')
  return decodeStrict(bytes, 'utf-8', 'predefinita')
}

/** Decodes a JSON document (UTF-8 unless a BOM or the HTTP charset says otherwise). */
export function decodeJsonBytes(bytes: Uint8Array, httpCharset?: string | null): string {
  const bom = bomEncoding(bytes)
  if (bom) return decodeStrict(bytes, bom, 'BOM')
  return decodeStrict(
    bytes,
    httpCharset ?? 'utf-8',
    httpCharset ? 'intestazione HTTP' : 'predefinita',
  )
}
