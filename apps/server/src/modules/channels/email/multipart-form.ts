/** One part of a `multipart/form-data` body. */
export interface FormPart {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

/**
 * Splits a `multipart/form-data` body (RFC 7578) into its parts. Kept small and synchronous: the
 * webhook already holds the whole body (its size capped by the route), and the signature check needs
 * the fields before anything is stored.
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new Error('multipart body without a boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: FormPart[] = [];
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body[start] === 0x0d) start += 2;
    else if (body[start] === 0x0a) start += 1;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    let end = next;
    if (body[end - 1] === 0x0a) end--;
    if (body[end - 1] === 0x0d) end--;
    const part = body.subarray(start, end);
    let split = part.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (split === -1) {
      split = part.indexOf('\n\n');
      sepLen = 2;
    }
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(head)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1] ?? null;
      const type = /content-type:\s*([^\r\n]*)/i.exec(head)?.[1]?.trim() ?? null;
      if (name !== undefined)
        parts.push({ name, filename, contentType: type, data: part.subarray(split + sepLen) });
    }
    pos = next;
  }
  return parts;
}
