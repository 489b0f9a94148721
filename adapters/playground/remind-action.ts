// Straight from its module: a value import through the index would load the whole core with it.
import { REMIND_ME_COMMAND, remindWords } from '../../src/render/answer-form-words.js';
import type { PostAction } from './post-actions.js';
import { refusalError } from './refusal.js';

/**
 * The Remind-me button of a workshop round post, as on Slack and Discord: the member is mentioned in
 * the nudge before each deadline. A press is the command they could type, so it answers alike.
 */
export const remindAction: PostAction = {
  label: (post) =>
    post.kind === 'round' && post.round && !post.threadRef
      ? `🔔 ${remindWords(post.round.lang).button}`
      : undefined,

  async press({ inbound, channel, actor }) {
    const reply = await inbound.command({ channel, actor, text: REMIND_ME_COMMAND });
    // Refused (the campaign ended, the list is full): nothing changed, and the caller is told why.
    if (!reply.ok) throw refusalError(reply);
    return { reply: reply.text };
  },
};
