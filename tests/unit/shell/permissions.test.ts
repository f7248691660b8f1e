import { describe, expect, it } from 'vitest'
import { permissionGranted } from '../../../src/main/shell/permissions'
import { isOwnRenderer } from '../../../src/main/shell/renderer-url'

const OWN = 'file:///opt/Vedetta/resources/app.asar/out/renderer/index.html'
const own = (url: string | undefined) => isOwnRenderer(url, OWN)

// Every permission Electron 38 may ask its request or check handler about.
const ELECTRON_PERMISSIONS = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'deprecated-sync-clipboard-read',
  'display-capture',
  'fileSystem',
  'fullscreen',
  'geolocation',
  'hid',
  'idle-detection',
  'keyboardLock',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'openExternal',
  'pointerLock',
  'serial',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'unknown',
  'usb',
  'window-management',
]

describe('page permissions', () => {
  it('grant desktop notifications to the room and to a drill opened in it', () => {
    expect(permissionGranted('notifications', OWN, own)).toBe(true)
    expect(permissionGranted('notifications', `${OWN}?drill=d-1#/room`, own)).toBe(true)
  })

  it('refuse every other permission, even to the room', () => {
    const granted = ELECTRON_PERMISSIONS.filter((p) => permissionGranted(p, OWN, own))
    expect(granted).toEqual(['notifications'])
  })

  it('refuse notifications to any other page, or when the page is unknown', () => {
    expect(permissionGranted('notifications', 'https://www.example.it/', own)).toBe(false)
    expect(permissionGranted('notifications', 'file:///tmp/report.html', own)).toBe(false)
    expect(permissionGranted('notifications', undefined, own)).toBe(false)
  })

  it('follow the dev server in development, by origin', () => {
    const dev = (url: string | undefined) => isOwnRenderer(url, 'http://localhost:5173/')
    expect(permissionGranted('notifications', 'http://localhost:5173/#/room', dev)).toBe(true)
    expect(permissionGranted('notifications', 'http://localhost:5174/', dev)).toBe(false)
  })
})
