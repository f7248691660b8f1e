import { children, childText, hasChild, textOf, type XmlNode } from '../xml/xml-nodes'

const STATUS = ['Actual', 'Exercise', 'System', 'Test', 'Draft']
const MSG_TYPE = ['Alert', 'Update', 'Cancel', 'Ack', 'Error']
const SCOPE = ['Public', 'Restricted', 'Private']
const URGENCY = ['Immediate', 'Expected', 'Future', 'Past', 'Unknown']
const SEVERITY = ['Extreme', 'Severe', 'Moderate', 'Minor', 'Unknown']
// "Very Likely" is CAP 1.0, still seen in the wild.
const CERTAINTY = ['Observed', 'Likely', 'Possible', 'Unlikely', 'Unknown', 'Very Likely']

function requireValue(
  node: XmlNode,
  name: string,
  allowed: string[] | null,
  where: string,
  out: string[],
): void {
  const value = childText(node, name)
  if (value === null) out.push(`${where}manca <${name}> (obbligatorio)`)
  else if (allowed && !allowed.includes(value)) {
    out.push(`${where}<${name}> vale "${value}", ammessi: ${allowed.join(', ')}`)
  }
}

/** A CAP `references` value as "sender,identifier,sent" triples; `null` for a malformed one. */
export function splitReferences(
  value: string,
): { sender: string; identifier: string; sent: string }[] | null {
  const triples = value.split(/\s+/).filter(Boolean)
  const parsed = triples.map((t) => t.split(','))
  if (parsed.some((p) => p.length !== 3 || p.some((part) => part === ''))) return null
  return parsed.map(([sender = '', identifier = '', sent = '']) => ({ sender, identifier, sent }))
}

/**
 * The CAP 1.x rules a receiver can check without the schema: required elements present,
 * enumerations respected, dates readable. Returns readable problems (empty when valid).
 */
export function capProblems(alert: XmlNode): string[] {
  const out: string[] = []
  requireValue(alert, 'identifier', null, '', out)
  requireValue(alert, 'sender', null, '', out)
  requireValue(alert, 'sent', null, '', out)
  requireValue(alert, 'status', STATUS, '', out)
  requireValue(alert, 'msgType', MSG_TYPE, '', out)
  requireValue(alert, 'scope', SCOPE, '', out)
  const sent = childText(alert, 'sent')
  if (sent !== null && Number.isNaN(Date.parse(sent)))
    out.push(`<sent> non è una data valida: "${sent}"`)
  if (hasChild(alert, 'references')) {
    const references = childText(alert, 'references')
    if (references === null) out.push('<references> è presente ma vuoto')
    else if (splitReferences(references) === null) {
      out.push('<references> non è nella forma "mittente,identificativo,invio"')
    }
  }
  children(alert, 'info').forEach((info, i) => {
    const where = `info ${i + 1}: `
    if (children(info, 'category').every((c) => textOf(c) === null))
      out.push(`${where}manca <category> (obbligatorio)`)
    requireValue(info, 'event', null, where, out)
    requireValue(info, 'urgency', URGENCY, where, out)
    requireValue(info, 'severity', SEVERITY, where, out)
    requireValue(info, 'certainty', CERTAINTY, where, out)
    children(info, 'area').forEach((area, j) => {
      if (childText(area, 'areaDesc') === null)
        out.push(`${where}area ${j + 1}: manca <areaDesc> (obbligatorio)`)
    })
  })
  return out
}
