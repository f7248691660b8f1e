/**
 * XML 1.0 cannot carry C0 control characters (other than tab, newline, carriage
 * return), U+FFFE/U+FFFF or unpaired surrogates: one of them in an operator's
 * text would make the whole CAP file unreadable. They are dropped; everything
 * else (quotes, `<`, `&`, emoji) is kept and escaped by the XML builder.
 */
/* eslint-disable no-control-regex -- matching control characters is the point of this pattern */
const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
/* eslint-enable no-control-regex */

/** The text with characters XML 1.0 forbids removed, and surrounding blanks trimmed. */
export function xmlSafeText(value: string): string {
  return value.replace(INVALID_XML_CHARS, '').trim()
}
