/**
 * Bytes per btoa call. A multiple of 3, so the pieces' base64 join into one
 * valid string; small enough that String.fromCharCode never overflows the stack.
 */
const CHUNK = 3 * 8192

/** Base64 of any number of bytes, a chunk at a time (a 10 MB file in ~430 steps). */
export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = []
  for (let at = 0; at < bytes.length; at += CHUNK) {
    const chunk = bytes.subarray(at, at + CHUNK)
    let binary = ''
    for (let i = 0; i < chunk.length; i++) binary += String.fromCharCode(chunk[i]!)
    parts.push(btoa(binary))
  }
  return parts.join('')
}

/** Reads a chosen file's bytes as they are (the core detects the encoding) and encodes them. */
export function readFileAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(bytesToBase64(new Uint8Array(reader.result as ArrayBuffer)))
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'))
    reader.readAsArrayBuffer(file)
  })
}
