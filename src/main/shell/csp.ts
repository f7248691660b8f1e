/**
 * The desktop window's Content-Security-Policy, sent as a header with every
 * response the window loads (the meta tag in index.html applies as well: a
 * resource must pass both; older Electron versions deliver no header to a
 * `file://` page, where the meta tag alone holds).
 *
 * - `connect-src 'self'`: the desktop room talks to the core over IPC, so it
 *   needs no socket at all (only the dev server's own hot-reload socket).
 * - `style-src 'self'`: the packaged room has no inline style. The build
 *   extracts every component's `<style>` block into CSS files; `:style`
 *   bindings and `v-show` write CSSOM properties, which CSP does not govern;
 *   templates carry no static `style="…"` attribute (Vue may insert static
 *   markup as HTML, where one would be refused; a test keeps it so).
 * - What remains inline is development only: Vite's dev server injects each
 *   component's CSS as a `<style>` element to reload it live, so `npm start`
 *   keeps `'unsafe-inline'` for styles, never the installed app.
 */
export function desktopCsp(options: { dev: boolean }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    options.dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "media-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}
