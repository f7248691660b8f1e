import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { FeedError } from '../errors'
import type { XmlNode } from './xml-nodes'

export interface XmlDocument {
  /** Local name of the root element (namespace prefix removed). */
  rootName: string
  /** Namespace URIs declared on the root element. */
  namespaces: string[]
  root: XmlNode
}

// Prefixes are dropped from element names (cap:identifier → identifier) so CAP, Atom and RSS
// extensions read the same whatever prefix a publisher picked; xmlns attributes are kept.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  // Numeric character references (&#233;) and the HTML names RSS authors use (&nbsp;).
  htmlEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  transformTagName: (name) => name.replace(/^[^:]*:/, ''),
})

const DOCTYPE = /<!DOCTYPE[\s\S]*?(\[|>)/

/**
 * Refuses documents that declare entities: nothing we read needs them, and they are the door
 * to XXE and "billion laughs". A bare DOCTYPE (old RSS 0.91) is tolerated; it is never fetched.
 */
function refuseEntityDeclarations(text: string): void {
  const doctype = DOCTYPE.exec(text)
  if (doctype?.[1] === '[' || /<!ENTITY/.test(text)) {
    throw new FeedError(
      'doctype',
      'il documento contiene una DOCTYPE con dichiarazioni di entità: rifiutato per sicurezza (XXE)',
    )
  }
}

/** Parses XML safely (no entity declarations, no external resources) or fails with line and column. */
export function parseXml(text: string): XmlDocument {
  const source = text.replace(/^\uFEFF/, '').trimStart()
  if (source === '') throw new FeedError('malformed', 'il documento è vuoto')
  refuseEntityDeclarations(source)
  const valid = XMLValidator.validate(source)
  if (valid !== true) {
    const { msg, line, col } = valid.err
    throw new FeedError(
      'malformed',
      `XML non valido o troncato (riga ${line}, colonna ${col}): ${msg}`,
    )
  }
  let tree: Record<string, unknown>
  try {
    tree = parser.parse(source) as Record<string, unknown>
  } catch (err) {
    throw new FeedError(
      'malformed',
      `XML non leggibile: ${err instanceof Error ? err.message : String(err)}`,
    )
  }
  const rootName = Object.keys(tree).find((k) => !k.startsWith('?') && !k.startsWith('#'))
  if (rootName === undefined)
    throw new FeedError('malformed', 'il documento non ha un elemento radice')
  const root = tree[rootName] as XmlNode
  const namespaces =
    typeof root === 'object' && root !== null
      ? Object.entries(root)
          .filter(
            ([k, v]) => (k === '@_xmlns' || k.startsWith('@_xmlns:')) && typeof v === 'string',
          )
          .map(([, v]) => (v as string).trim())
      : []
  return { rootName, namespaces, root }
}
