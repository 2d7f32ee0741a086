/**
 * Content type from the file's first bytes. The sender's declared type is never trusted on its own: it is
 * used only to name a more precise type inside a container the bytes prove (a .docx is a zip, a Telegram
 * animated sticker is gzip). Types a browser would run (HTML, SVG, XML) are never produced.
 */
export function sniffMime(bytes: Uint8Array, declared?: string | null): string {
  const found = detect(bytes);
  const claim = (declared ?? '').toLowerCase().split(';')[0]!.trim();
  if (found === 'application/zip' && ZIP_BASED.has(claim)) return claim;
  if (found === 'application/gzip' && claim === 'application/x-tgsticker') return claim;
  if (found === 'application/x-ole-storage' && OLE_BASED.has(claim)) return claim;
  if (found === 'video/mp4' && (claim === 'audio/mp4' || claim === 'audio/m4a' || claim === 'audio/aac'))
    return 'audio/mp4';
  if (found === 'audio/ogg' && claim === 'video/ogg') return claim;
  return found;
}

const ZIP_BASED = new Set([
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/epub+zip',
]);

/** Pre-2007 Office files are OLE compound documents. */
const OLE_BASED = new Set([
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
]);

function startsWith(b: Uint8Array, sig: number[], offset = 0): boolean {
  if (b.length < offset + sig.length) return false;
  return sig.every((v, i) => b[offset + i] === v);
}

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));
}

function detect(b: Uint8Array): string {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(b, 0, 4) === 'RIFF') {
    const form = ascii(b, 8, 12);
    if (form === 'WEBP') return 'image/webp';
    if (form === 'WAVE') return 'audio/wav';
    if (form === 'AVI ') return 'video/x-msvideo';
  }
  if (ascii(b, 0, 2) === 'BM' && b.length > 14) return 'image/bmp';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (ascii(b, 0, 5) === '%PDF-') return 'application/pdf';
  if (ascii(b, 0, 4) === 'OggS') return 'audio/ogg';
  if (ascii(b, 0, 4) === 'fLaC') return 'audio/flac';
  if (ascii(b, 0, 6) === '#!AMR\n') return 'audio/amr';
  if (ascii(b, 4, 8) === 'ftyp') {
    const brand = ascii(b, 8, 12);
    if (brand === 'M4A ' || brand === 'M4B ') return 'audio/mp4';
    if (brand === 'qt  ') return 'video/quicktime';
    if (brand.startsWith('3g')) return 'video/3gpp';
    if (['heic', 'heix', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
    if (brand === 'avif') return 'image/avif';
    return 'video/mp4';
  }
  if (startsWith(b, [0x1a, 0x45, 0xdf, 0xa3])) {
    return ascii(b, 0, 64).includes('webm') ? 'video/webm' : 'video/x-matroska';
  }
  if (ascii(b, 0, 3) === 'ID3' || (b.length > 1 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0)) {
    return 'audio/mpeg';
  }
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'application/zip';
  if (startsWith(b, [0x1f, 0x8b])) return 'application/gzip';
  if (startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'application/x-ole-storage';
  if (isPlainText(b)) return 'text/plain';
  return 'application/octet-stream';
}

/** UTF-8 without control bytes (other than tab/newlines) in the first KiB and no markup opening. */
function isPlainText(b: Uint8Array): boolean {
  if (b.length === 0) return false;
  const head = b.subarray(0, 1024);
  for (const c of head) if (c < 0x09 || (c > 0x0d && c < 0x20) || c === 0x7f) return false;
  try {
    // stream: a multi-byte character cut by the 1 KiB window is not an encoding error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: head.length < b.length });
  } catch {
    return false;
  }
  return true;
}

/** Shown inline in the console only when a browser cannot execute it. */
export function isInlineSafe(mime: string): boolean {
  return (
    /^image\/(jpeg|png|gif|webp|bmp|avif|heic)$/.test(mime) ||
    mime.startsWith('audio/') ||
    mime.startsWith('video/')
  );
}

const EXT: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'application/zip': 'zip',
  'application/msword': 'doc',
  'application/vnd.ms-excel': 'xls',
  'application/x-tgsticker': 'tgs',
};

export function extensionFor(mime: string): string {
  return EXT[mime] ?? 'bin';
}
