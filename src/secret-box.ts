import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** The keys secrets at rest are sealed with: CANEVAS_SECRET_KEY, and the one before it while rotating. */
export interface SecretKeys {
  current: Buffer;
  /** CANEVAS_SECRET_KEY_PREVIOUS: only read, so values sealed before a rotation still open. */
  previous?: Buffer;
}

/** A sealed value says which key sealed it, so a rotation knows what to open it with. */
const SEALED = 'canevas-sealed:v1';
const IV_BYTES = 12;

/**
 * A secret that cannot be opened with the keys given: the message names the variable and the fix.
 * `wrong-key`: sealed with a key that is neither CANEVAS_SECRET_KEY nor _PREVIOUS (a configuration
 * problem); `altered`: the right key, but the value does not authenticate.
 */
export class SecretKeyError extends Error {
  constructor(
    readonly reason: 'wrong-key' | 'altered',
    message: string,
  ) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

export interface SecretBox {
  /** Short id of CANEVAS_SECRET_KEY, shown in errors and logs in place of the key. */
  readonly keyId: string;
  /**
   * AES-256-GCM with a fresh IV per value. `context` (what the value belongs to) is bound to it, so a
   * sealed value copied under another name does not open.
   */
  seal(plain: string, context: string): string;
  /**
   * The plain text, and whether it should be sealed again with the current key: it was sealed with the
   * previous key, or stored in clear by an older version.
   */
  open(stored: string, context: string): { plain: string; stale: boolean };
}

export const isSealed = (stored: string) => stored.startsWith(`${SEALED}:`);

/** A key's id: derived one way from the key, so it tells keys apart and says nothing about them. */
export function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('canevas key id').digest('hex').slice(0, 8);
}

export function createSecretBox(keys: SecretKeys): SecretBox {
  const currentId = keyIdOf(keys.current);
  const byId = new Map<string, Buffer>([[currentId, keys.current]]);
  if (keys.previous) byId.set(keyIdOf(keys.previous), keys.previous);
  const known = () =>
    keys.previous
      ? `CANEVAS_SECRET_KEY is ${currentId}, CANEVAS_SECRET_KEY_PREVIOUS is ${keyIdOf(keys.previous)}`
      : `CANEVAS_SECRET_KEY is ${currentId} and CANEVAS_SECRET_KEY_PREVIOUS is not set`;

  return {
    keyId: currentId,
    seal(plain, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keys.current, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), sealed].map((b) => b.toString('base64url'));
      return [SEALED, currentId, ...parts].join(':');
    },
    open(stored, context) {
      if (!isSealed(stored)) return { plain: stored, stale: true };
      const [keyId = '', iv = '', tag = '', sealed = ''] = stored.slice(SEALED.length + 1).split(':');
      const key = byId.get(keyId);
      if (!key) {
        throw new SecretKeyError(
          'wrong-key',
          `${context} was encrypted with key ${keyId || '(none)'}, but ${known()}: set CANEVAS_SECRET_KEY (or CANEVAS_SECRET_KEY_PREVIOUS while rotating) to the key it was written with`,
        );
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([
          decipher.update(Buffer.from(sealed, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
        return { plain, stale: keyId !== currentId };
      } catch {
        throw new SecretKeyError(
          'altered',
          `${context} does not decrypt with key ${keyId}: the stored value was altered or cut (install the app again in that workspace)`,
        );
      }
    },
  };
}

/**
 * CANEVAS_SECRET_KEY's text as 32 bytes: 64 hex digits, or base64 (standard or URL-safe, padded or
 * not); undefined for anything else.
 */
export function parseSecretKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)) return undefined;
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : undefined;
}
