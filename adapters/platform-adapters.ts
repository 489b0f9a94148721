import type { Config, Logger, PlatformAdapter, RedisClient, Renderer } from '../src/index.js';

export interface AdapterDeps {
  /** A connection shared with the store and queues (commands, not pub/sub). */
  redis: RedisClient;
  logger: Logger;
  /** The core's prompts, for what an adapter says on its own (welcomes, the Slack Home tab). */
  renderer: Renderer;
}

/**
 * The chat platforms this deployment is configured for (Slack and Discord may run side by side, each
 * campaign on its own). An adapter is loaded only when its variables are set, so the playground never
 * loads an SDK it does not use.
 */
export async function createPlatformAdapters(config: Config, deps: AdapterDeps): Promise<PlatformAdapter[]> {
  const adapters: PlatformAdapter[] = [];
  if (config.slack)
    adapters.push(
      await (await import('./slack/index.js')).createSlackAdapter(
        {
          ...config.slack,
          admins: config.admins,
          publicUrl: config.publicUrl,
          lang: config.lang,
          secretKeys: config.secretKeys,
        },
        deps,
      ),
    );
  if (config.discord)
    adapters.push(
      await (await import('./discord/index.js')).createDiscordAdapter(
        { ...config.discord, admins: config.admins },
        deps,
      ),
    );
  return adapters;
}
