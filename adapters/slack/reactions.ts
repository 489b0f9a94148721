import type { App } from '@slack/bolt';
import type { WebClient } from './client.js';
import { channelRef, type ListenerContext } from './listener-context.js';
import { parseReactionEvent } from './payloads.js';

/**
 * Reactions put on or taken off messages (`reaction_added` / `reaction_removed`, scope
 * `reactions:read`): the core counts a 👍 ✅ ➕ or 👎 on an answer as support, and ignores the rest.
 * The emoji goes as Slack names it (`+1::skin-tone-3`); the core reads Slack's names. Reactions on
 * files are not messages, so never answers: they are not passed on.
 */
export function registerReactions(app: App, ctx: ListenerContext): void {
  const handle = async (added: boolean, { event, body, client, context }: ReactionArgs) => {
    const reaction = ctx.read(parseReactionEvent(event), 'reaction event')?.onMessage;
    if (!reaction) return;
    const team = (body as { team_id?: string }).team_id || context.teamId || '';
    const who = await ctx.person(client, team, reaction.user);
    // Saved before it returns: Slack hears back only then, so a lost reaction is delivered again.
    await ctx.core().react({
      channel: channelRef(team, reaction.item.channel),
      messageRef: reaction.item.ts,
      person: { id: reaction.user, name: who.name || reaction.user },
      emoji: reaction.reaction,
      added,
    });
  };
  app.event('reaction_added', (args) => handle(true, args));
  app.event('reaction_removed', (args) => handle(false, args));
}

/** What a reaction listener reads of Bolt's arguments. */
interface ReactionArgs {
  event: unknown;
  body: unknown;
  client: WebClient;
  context: { teamId?: string };
}
