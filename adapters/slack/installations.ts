import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { RedisClient } from '../../src/index.js';

const key = (id: string) => `canevas:slack:installation:${id}`;

/** Where each workspace's install (its bot token) lives: Redis, shared by every process. */
export function createRedisInstallationStore(redis: RedisClient): InstallationStore {
  const idOf = (q: { isEnterpriseInstall?: boolean; enterpriseId?: string; teamId?: string }) =>
    (q.isEnterpriseInstall ? q.enterpriseId : q.teamId) ?? '';
  return {
    async storeInstallation(installation: Installation) {
      const id = installation.isEnterpriseInstall ? installation.enterprise?.id : installation.team?.id;
      if (!id) throw new Error('installation without a team or enterprise id');
      await redis.set(key(id), JSON.stringify(installation));
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const raw = await redis.get(key(idOf(query)));
      if (!raw) throw new Error(`Canevas is not installed in Slack workspace ${idOf(query)}`);
      return JSON.parse(raw) as Installation<'v2', boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await redis.del(key(idOf(query)));
    },
  };
}
