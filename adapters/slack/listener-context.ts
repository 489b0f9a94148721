import type { Actor, ChannelRef, Inbound, Logger, RedisClient } from '../../src/index.js';
import type { WebClient } from './client.js';
import { type Checked, readPayload } from './payloads.js';
import { lookUpPerson, type SlackPerson } from './people.js';

export interface SlackInboundDeps {
  redis: RedisClient;
  logger: Logger;
  admins: readonly string[];
  /** The core's inbound port, known once the adapter is started. */
  inbound: () => Inbound | undefined;
}

/** What every listener needs: the core, who someone is, and how to read a payload. */
export interface ListenerContext {
  logger: Logger;
  core(): Inbound;
  person(client: WebClient, team: string, user: string): Promise<SlackPerson>;
  /** Who runs a command or presses a button: their name, and whether they may drive campaigns. */
  actor(client: WebClient, team: string, user: string, fallbackName?: string): Promise<Actor>;
  /** The payload, or undefined after a warning: over HTTP the receiver refused malformed ones already, Socket Mode has no such gate. */
  read<T>(checked: Checked<T>, what: string): T | undefined;
}

export const channelRef = (team: string, channel: string): ChannelRef => ({
  platform: 'slack',
  workspace: team,
  channel,
});

export function listenerContext(deps: SlackInboundDeps): ListenerContext {
  const person = (client: WebClient, team: string, user: string) =>
    lookUpPerson(deps.redis, client, team, user);
  return {
    logger: deps.logger,
    core() {
      const inbound = deps.inbound();
      if (!inbound) throw new Error('slack adapter not started');
      return inbound;
    },
    person,
    async actor(client, team, user, fallbackName) {
      const who = await person(client, team, user);
      return {
        id: user,
        name: who.name || fallbackName || user,
        isAdmin: who.admin || deps.admins.includes(user),
      };
    },
    read: (checked, what) => readPayload(checked, deps.logger, what),
  };
}

/** The work's result if it is done within `ms`, else undefined (the work goes on). */
export async function within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

export function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
