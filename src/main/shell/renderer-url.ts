import { join } from 'node:path'

/** The renderer's address: the dev server in development, the built file otherwise. */
export function rendererUrl(): string {
  const dev = process.env.ELECTRON_RENDERER_URL
  return dev ?? `file://${join(__dirname, '../renderer/index.html')}`
}

/** True when a frame's URL is our own renderer (IPC sender check, permissions). */
export function isOwnRenderer(url: string | undefined, own: string = rendererUrl()): boolean {
  if (!url) return false
  const ownUrl = new URL(own)
  try {
    const u = new URL(url)
    return ownUrl.protocol === 'file:'
      ? u.protocol === 'file:' && u.pathname === ownUrl.pathname
      : u.origin === ownUrl.origin
  } catch {
    return false
  }
}
