import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretBox, isSealed, keyIdOf, parseSecretKey, SecretKeyError } from '../../src/secret-box.js';

const keyA = randomBytes(32);
const keyB = randomBytes(32);
const TOKEN = 'xoxb-1234-5678-abcdefghijklmnop';

describe('the secret box (AES-256-GCM, CANEVAS_SECRET_KEY)', () => {
  it('seals with a fresh IV each time, without the secret in the sealed text, and opens it again', () => {
    const box = createSecretBox({ current: keyA });
    const one = box.seal(TOKEN, 'workspace T1');
    const two = box.seal(TOKEN, 'workspace T1');
    expect(one).not.toBe(two);
    for (const sealed of [one, two]) {
      expect(isSealed(sealed)).toBe(true);
      expect(sealed).not.toContain(TOKEN);
      expect(sealed).not.toContain('xoxb');
      expect(sealed).toContain(`:${keyIdOf(keyA)}:`);
      expect(box.open(sealed, 'workspace T1')).toEqual({ plain: TOKEN, stale: false });
    }
  });

  it('binds a sealed value to what it belongs to: copied under another name, it does not open', () => {
    const box = createSecretBox({ current: keyA });
    const sealed = box.seal(TOKEN, 'workspace T1');
    expect(() => box.open(sealed, 'workspace T2')).toThrow(SecretKeyError);
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(() => box.open(flipped, 'workspace T1')).toThrow(/altered/);
  });

  it('opens with the previous key while rotating, and says the value is due for the new one', () => {
    const sealedWithA = createSecretBox({ current: keyA }).seal(TOKEN, 'T1');
    const rotating = createSecretBox({ current: keyB, previous: keyA });
    expect(rotating.open(sealedWithA, 'T1')).toEqual({ plain: TOKEN, stale: true });
    expect(rotating.open(rotating.seal(TOKEN, 'T1'), 'T1')).toEqual({ plain: TOKEN, stale: false });
    // Text stored in clear by an older version is read as it is, and due for sealing.
    expect(rotating.open('{"bot":{}}', 'T1')).toEqual({ plain: '{"bot":{}}', stale: true });
  });

  it('names both keys and the variables to set when the value was sealed with another key', () => {
    const sealedWithA = createSecretBox({ current: keyA }).seal(TOKEN, 'the install of T1');
    const error = (() => {
      try {
        createSecretBox({ current: keyB }).open(sealedWithA, 'the install of T1');
      } catch (err) {
        return err as SecretKeyError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SecretKeyError);
    expect(error?.reason).toBe('wrong-key');
    expect(error?.message).toContain(`the install of T1 was encrypted with key ${keyIdOf(keyA)}`);
    expect(error?.message).toContain(`CANEVAS_SECRET_KEY is ${keyIdOf(keyB)}`);
    expect(error?.message).toContain('CANEVAS_SECRET_KEY_PREVIOUS');
    expect(error?.message).not.toContain(keyA.toString('base64'));
  });

  it('reads a key in hex or base64 (with or without padding, standard or URL-safe), 32 bytes only', () => {
    const key = randomBytes(32);
    for (const text of [
      key.toString('hex'),
      key.toString('hex').toUpperCase(),
      key.toString('base64'),
      key.toString('base64url'),
      key.toString('base64').replace(/=+$/, ''),
    ])
      expect(parseSecretKey(text)?.equals(key), text).toBe(true);
    for (const bad of [
      '',
      'secret',
      randomBytes(16).toString('base64'),
      randomBytes(31).toString('hex'),
      `${key.toString('hex')}0`,
    ])
      expect(parseSecretKey(bad), bad).toBeUndefined();
  });
});
