import { createRequire } from 'node:module';
import type { RESTOptions } from 'discord.js';

type Agent = NonNullable<RESTOptions['agent']>;

/**
 * An HTTP agent from the very undici that @discordjs/rest sends with, found the way Node finds it
 * (discord.js, then its @discordjs/rest, then that package's undici).
 *
 * Without one, @discordjs/rest sends through undici's process-wide dispatcher, which the first copy of
 * undici loaded installs for every copy. Next to Slack, that is undici 7's (Slack's Socket Mode package
 * brings it, and Slack loads first): it cannot read the FormData undici 6 hands it, so every Discord
 * post with a file (the canvas sheet, exports) failed with "action is not a function".
 */
export function createDiscordAgent(): Agent {
  const fromHere = createRequire(import.meta.url);
  const fromDiscordJs = createRequire(fromHere.resolve('discord.js'));
  const fromRest = createRequire(fromDiscordJs.resolve('@discordjs/rest'));
  const undici = fromRest('undici') as { Agent: new () => Agent };
  return new undici.Agent();
}
