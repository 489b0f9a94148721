import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis-connections.js';
import { evalScript } from './eval-script.js';
import { RELEASE_LOCK, RENEW_LOCK } from './lua-scripts.js';
import { LockTimeoutError } from './types.js';

export interface HeldLock {
  release(): Promise<void>;
  /** A script let go of the lock already (it had nothing left to do): stop renewing it. */
  letGo(): void;
}

export const DEFAULT_LOCK_TTL_MS = 30_000;

/** A lock's token: only its holder's release or renewal touches the lock. */
export const newLockToken = () => randomBytes(12).toString('hex');

/**
 * Takes the lock at `key` if it is free. A holder that dies lets it expire after `ttlMs`; a live one
 * renews it well before then, so long work keeps it.
 */
export async function tryLock(
  redis: RedisClient,
  key: string,
  ttlMs = DEFAULT_LOCK_TTL_MS,
): Promise<HeldLock | null> {
  const token = newLockToken();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return null;
  return holdLock(redis, key, token, ttlMs);
}

/** The lock at `key`, taken with `token` (here or by a script): renewed until released. */
export function holdLock(
  redis: RedisClient,
  key: string,
  token: string,
  ttlMs = DEFAULT_LOCK_TTL_MS,
): HeldLock {
  const renew = setInterval(() => {
    evalScript(redis, RENEW_LOCK, 1, key, token, ttlMs).catch(() => undefined);
  }, ttlMs / 3);
  renew.unref();
  return {
    async release() {
      clearInterval(renew);
      // A failed release must not hide the holder's own outcome: the lock then expires after its TTL.
      await evalScript(redis, RELEASE_LOCK, 1, key, token).catch(() => undefined);
    },
    letGo() {
      clearInterval(renew);
    },
  };
}

/** Waits up to `waitMs` for the lock at `key`, backing off; LockTimeoutError past that. */
export async function waitLock(
  redis: RedisClient,
  key: string,
  options: { ttlMs?: number; waitMs?: number; name?: string } = {},
): Promise<HeldLock> {
  const deadline = Date.now() + (options.waitMs ?? 10_000);
  let delay = 5;
  for (;;) {
    const lock = await tryLock(redis, key, options.ttlMs);
    if (lock) return lock;
    if (Date.now() > deadline) throw new LockTimeoutError(options.name ?? key);
    await new Promise((r) => setTimeout(r, delay + Math.random() * delay));
    delay = Math.min(delay * 2, 100);
  }
}

/**
 * Runs `work` under the lock at `key` while `hasWork` says there is more, or returns false at once
 * when another process holds it. The holder checks again after letting go, so work that arrived
 * while it held the lock (whose submitter found it busy) is never left behind.
 */
export async function whileWork(
  redis: RedisClient,
  key: string,
  hasWork: () => Promise<boolean>,
  work: () => Promise<void>,
): Promise<boolean> {
  for (;;) {
    const lock = await tryLock(redis, key);
    if (!lock) return false;
    try {
      await work();
    } finally {
      await lock.release();
    }
    if (!(await hasWork())) return true;
  }
}
