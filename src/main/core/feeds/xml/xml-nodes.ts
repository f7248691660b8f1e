/** A node as fast-xml-parser returns it: text, or an object of children and `@_` attributes. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] | undefined }

type XmlObject = { [name: string]: XmlNode | XmlNode[] | undefined }

function isObject(node: unknown): node is XmlObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node)
}

/** Every child element called `name` (zero, one or many), in document order. */
export function children(node: unknown, name: string): XmlNode[] {
  if (!isObject(node)) return []
  const value = node[name]
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}

/** The first child element called `name`. */
export function child(node: unknown, name: string): XmlNode | undefined {
  return children(node, name)[0]
}

/** The text of a node, trimmed; `null` when absent or empty. */
export function textOf(node: unknown): string | null {
  if (typeof node === 'string') return node.trim() === '' ? null : node.trim()
  if (isObject(node)) return textOf(node['#text'])
  return null
}

/** The text of the first child called `name`. */
export function childText(node: unknown, name: string): string | null {
  return textOf(child(node, name))
}

/** True when the child element exists, even empty (`<references/>`). */
export function hasChild(node: unknown, name: string): boolean {
  return isObject(node) && node[name] !== undefined
}

/** An attribute value, `null` when absent. */
export function attr(node: unknown, name: string): string | null {
  if (!isObject(node)) return null
  const value = node[`@_${name}`]
  return typeof value === 'string' ? value : null
}
