/**
 * What a page may ask of the browser. Vedetta's room uses desktop notifications
 * (new bulletins) and nothing else: no camera, microphone, location, clipboard
 * reading, screen capture, MIDI, HID, serial or USB, and no full screen.
 * A permission is granted only to our own renderer, never to another page that
 * somehow ended up in a window.
 */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['notifications'])

/**
 * The decision behind both Electron handlers (request and check).
 * @param permission Electron's name for it (`notifications`, `media`, `clipboard-read`…)
 * @param requestingUrl the page that asks (its URL), when Electron says
 * @param isOwnPage whether a URL is Vedetta's own renderer
 */
export function permissionGranted(
  permission: string,
  requestingUrl: string | undefined,
  isOwnPage: (url: string | undefined) => boolean,
): boolean {
  return GRANTED_PERMISSIONS.has(permission) && isOwnPage(requestingUrl)
}
