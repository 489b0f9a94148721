import type { RedisClient } from '../../src/index.js';
import type { WebClient } from './client.js';

/** What Canevas needs to know about a member: a display name and whether they run the workspace. */
export interface SlackPerson {
  name: string;
  admin: boolean;
}

const TTL_S = 600;

/** `users.info`, cached in Redis for ten minutes (processes share it; nothing stays in memory). */
export async function lookUpPerson(
  redis: RedisClient,
  client: WebClient,
  team: string,
  user: string,
): Promise<SlackPerson> {
  const key = `canevas:slack:user:${team}:${user}`;
  const cached = await redis.get(key);
  if (cached) return JSON.parse(cached) as SlackPerson;
  const res = await client.users.info({ user });
  const u = res.user;
  const person: SlackPerson = {
    name: u?.profile?.display_name || u?.real_name || u?.name || user,
    admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
  };
  await redis.set(key, JSON.stringify(person), 'EX', TTL_S);
  return person;
}
