/** A mistake in how the command was called: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export const USAGE = `Usage:
  vedetta host [--port N] [--data-dir DIR] [--open] [--new-token]
                                                        serve the app on 127.0.0.1 and print its URL
                                                        (the same URL as the last run: open pages
                                                        reconnect; --new-token replaces it)
  vedetta backup FILE [--data-dir DIR]                  online backup of the workspace to FILE
  vedetta restore FILE [--data-dir DIR]                 replace the workspace with a backup
  vedetta contacts import FILE [--data-dir DIR] [--list NAME] [--dry-run] [--strict] [--json]
                               [--sync KEY] [--map "Header=field"]…
                               [--max-removal-share 0.2] [--confirm-removal N]
                                                        import a CSV of contacts (report first);
                                                        a sync losing over 20% of its people
                                                        waits for --confirm-removal N (exit 3)
  vedetta contacts export FILE [--data-dir DIR]         export every contact to a CSV (UTF-8)
  vedetta drill run SCENARIO [--data-dir DIR] [--speed N] [--report FILE] [--auto]
                               run a drill of SCENARIO (a file, or a shipped scenario's id)
                               with no one at the keyboard, 1–60× (default 60), and write its
                               report (HTML; PDF or JSON figures when FILE ends in .pdf or
                               .json); --auto answers each bulletin with its template on every
                               channel and each citizen who writes
  vedetta bulletins check SOURCE [--json] [--data-dir DIR]
                               read a bulletin source once (a file, a folder laid out as the DPC
                               publishes, a URL or the DPC's GitHub repository), store nothing,
                               and print what Vedetta understood; our comuni are the workspace's
                               (--data-dir), else the Circondario's
  vedetta map --comuni "Empoli=arancione,Vinci=gialla" [--kind idraulico]
              [--from ISO --to ISO] [--headline TEXT] [--ente NAME] [--hashtag TAG]
              [--square] --out FILE.png
                               draw the alert map card (1200×675, or 1080×1080 with
                               --square) as the posts carry it, and print its alt text
  vedetta demo --data-dir DIR [--contacts N]          a demo workspace (placeholder channels, lists, contacts)
  vedetta help                                          this text

The data directory defaults to VEDETTA_DATA_DIR, else the OS user-data folder.`

export function parsePort(value: string | undefined): number {
  if (value === undefined) return 0
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not "${value}"`)
  }
  return Number(value)
}
