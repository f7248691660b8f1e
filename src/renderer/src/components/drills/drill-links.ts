/**
 * A drill is the same app on the same address with `drill=<id>`: the page's
 * socket then belongs to that drill (see api/index.ts). Switching is a
 * deliberate navigation, and the real room keeps running meanwhile.
 */
export function drillUrl(id: string, hash = '#/esercitazioni'): string {
  const url = new URL(location.href)
  url.searchParams.set('drill', id)
  url.hash = hash
  return url.toString()
}

/** The real room's address, from inside a drill. */
export function realRoomUrl(hash = '#/esercitazioni'): string {
  const url = new URL(location.href)
  url.searchParams.delete('drill')
  url.hash = hash
  return url.toString()
}

/** Saves an exported document (base64) as a file, with no Node API. */
export function downloadBase64(base64: string, fileName: string, type: string): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.style.display = 'none'
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 0)
}
