import type { UserErrorId } from '../../src/index.js';
// Straight from its module: a value import through the index would load the whole core with it.
import { answerFormWords } from '../../src/render/answer-form-words.js';
import { type ChannelMessage, nextMessageId } from './channel-store.js';
import { HttpError } from './http-error.js';
import type { PlaygroundForm, PostAction } from './post-actions.js';
import { refusalError } from './refusal.js';

/** The one field of the Answer form. */
export const ANSWER_FIELD = 'answer';

/** The refusals about the answer's text, which the person fixes in the field. */
const FIELD_ERRORS: ReadonlySet<UserErrorId> = new Set(['empty-answer', 'answer-too-long']);

/**
 * The Answer button of a question post and its form: the playground's Slack and Discord modal.
 * The answer goes to the core as a form answer, which the core echoes into the question's thread.
 */
export const answerAction: PostAction = {
  label: (post) => (isQuestion(post) ? answerFormWords(post.question?.lang).button : undefined),

  async press({ id, post }) {
    return { form: answerForm(post, id) };
  },

  form: answerForm,

  async submit({ redis, inbound, channel, post, actor }, values) {
    const reply = await inbound.answer({
      channel,
      threadRef: post.id,
      // A form submission has no message of its own: it gets a fresh id from the channel's sequence.
      messageRef: await nextMessageId(redis),
      author: { id: actor.id, name: actor.name },
      text: values[ANSWER_FIELD] ?? '',
      source: 'modal',
    });
    if (reply === null) {
      throw new HttpError(409, 'question-closed', 'This question is no longer open: its campaign has ended.');
    }
    if (reply.ok) return { reply: reply.text };
    // As on Slack and Discord, a refusal of what was typed (empty, too long) is shown at the field;
    // any other (the campaign ended, the question is gone) is about the form itself.
    if (reply.error && FIELD_ERRORS.has(reply.error)) return { errors: { [ANSWER_FIELD]: reply.text } };
    throw refusalError(reply);
  },
};

function isQuestion(post: ChannelMessage): boolean {
  return post.kind === 'question' && post.question !== undefined && !post.threadRef;
}

function answerForm(post: ChannelMessage, id: string): PlaygroundForm {
  const words = answerFormWords(post.question?.lang);
  return {
    id,
    // The parts are escaped for the page's Markdown; a form title is plain text.
    title: unescapeMarkdown(post.question?.blockTitle ?? ''),
    fields: [{ id: ANSWER_FIELD, label: words.field, kind: 'long-text', required: true }],
  };
}

function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
