import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import {
  ConfigError,
  globLiteral,
  isSealed,
  type Logger,
  type RedisClient,
  type SecretBox,
  SecretKeyError,
  scanKeys,
} from '../../src/index.js';

const PREFIX = 'canevas:slack:installation:';
const keyOf = (id: string) => `${PREFIX}${id}`;
/** What a sealed installation is bound to, and how errors name it. */
const contextOf = (id: string) => `the Slack installation of workspace ${id}`;

/** Writes the resealed value only if the stored one is still what was read: a newer install wins. */
const REPLACE_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2]) return 1 end
return 0
`;

/** The workspace has no installation (never installed, or uninstalled since). */
export class NotInstalledError extends Error {
  constructor(readonly workspace: string) {
    super(`Canevas is not installed in Slack workspace ${workspace}`);
    this.name = 'NotInstalledError';
  }
}

export interface SlackInstallations extends InstallationStore {
  /**
   * Seals again, with CANEVAS_SECRET_KEY, every installation stored in clear by an older version or
   * sealed with CANEVAS_SECRET_KEY_PREVIOUS (run at start). Throws ConfigError when installations were
   * sealed with a key that is neither: the bot could reach none of those workspaces.
   */
  resealAll(): Promise<{ resealed: number; unreadable: number }>;
}

/**
 * Where each workspace's install (its bot token) lives: Redis, shared by every process, sealed with
 * the secret box (AES-256-GCM). Without a box nothing is stored: tokens are never written in clear.
 */
export function createRedisInstallationStore(
  redis: RedisClient,
  box: SecretBox | undefined,
  logger: Logger,
): SlackInstallations {
  const idOf = (q: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }) =>
    (q.isEnterpriseInstall ? q.enterpriseId : q.teamId) ?? '';

  const open = (id: string, stored: string) => {
    if (box) return box.open(stored, contextOf(id));
    if (isSealed(stored)) {
      throw new SecretKeyError(
        'wrong-key',
        `${contextOf(id)} is encrypted, but CANEVAS_SECRET_KEY is not set: set it to the key it was written with`,
      );
    }
    return { plain: stored, stale: false };
  };

  /** Seals a stale installation with the current key, unless it changed since it was read. */
  const reseal = async (id: string, stored: string, plain: string): Promise<boolean> => {
    if (!box) return false;
    const sealed = box.seal(plain, contextOf(id));
    const replaced = (await redis.eval(REPLACE_IF_UNCHANGED, 1, keyOf(id), stored, sealed)) === 1;
    if (replaced)
      logger.info({ workspace: id, key: box.keyId }, 'slack installation sealed with the current key');
    return replaced;
  };

  return {
    async storeInstallation(installation: Installation) {
      const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      if (!id) throw new Error('installation without a team or enterprise id');
      if (!box) throw new Error('CANEVAS_SECRET_KEY is not set: Canevas does not keep tokens in clear');
      await redis.set(keyOf(id), box.seal(JSON.stringify(installation), contextOf(id)));
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const id = idOf(query);
      const stored = await redis.get(keyOf(id));
      if (!stored) throw new NotInstalledError(id);
      const { plain, stale } = open(id, stored);
      if (stale) await reseal(id, stored, plain);
      return JSON.parse(plain) as Installation<'v2', boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await redis.del(keyOf(idOf(query)));
    },
    async resealAll() {
      let resealed = 0;
      let unreadable = 0;
      const wrongKey: SecretKeyError[] = [];
      for (const key of await scanKeys(redis, `${globLiteral(PREFIX)}*`)) {
        const stored = await redis.get(key);
        if (stored === null) continue;
        const id = key.slice(PREFIX.length);
        try {
          const { plain, stale } = open(id, stored);
          if (stale && (await reseal(id, stored, plain))) resealed += 1;
        } catch (err) {
          if (!(err instanceof SecretKeyError)) throw err;
          unreadable += 1;
          if (err.reason === 'wrong-key') wrongKey.push(err);
          else logger.error({ workspace: id, err: err.message }, 'slack installation unreadable');
        }
      }
      const [first] = wrongKey;
      if (first) {
        throw new ConfigError(
          `CANEVAS_SECRET_KEY: ${wrongKey.length} Slack installation(s) cannot be read; ${first.message}`,
        );
      }
      return { resealed, unreadable };
    },
  };
}
