import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** What starts a packed doc; a doc in JSON (as older versions wrote it) starts with `{`. */
const PACKED = 'z:';

/**
 * The campaign document as stored: its JSON deflated, in base64 so it stays a plain string for any
 * tool that copies or shows it. A campaign's JSON repeats its block ids and states, so it packs to
 * about a quarter (3 KB to 0.75 KB for the default template): most of what an idle campaign costs.
 */
export function packDoc(json: string): string {
  return PACKED + deflateRawSync(json).toString('base64');
}

/** The doc's JSON, whether packed or written as JSON; throws on a doc that is neither. */
export function unpackDoc(stored: string): string {
  if (!stored.startsWith(PACKED)) return stored;
  return inflateRawSync(Buffer.from(stored.slice(PACKED.length), 'base64')).toString('utf8');
}
