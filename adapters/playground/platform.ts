import { UnrecoverableError } from 'bullmq';
import type { ChannelRef, ChatPlatform, OutboundPost, RedisClient } from '../../src/index.js';
// Straight from its module: a value import through the index would load the whole core with it.
import { markdownFormat } from '../../src/render/markdown-format.js';
import {
  appendMessage,
  type ChannelAuthor,
  type FileMeta,
  fileUrl,
  nextMessageId,
  removeFile,
  storeFile,
  updateMessage,
} from './channel-store.js';

export const BOT_AUTHOR: ChannelAuthor = { id: 'canevas', name: 'Canevas', bot: true };

/**
 * The playground as a chat platform: the outbox worker posts here like it posts to Slack, and the
 * page reads what it stored. Everything is in Redis, so the worker and the page may be two processes.
 */
export function createPlaygroundPlatform(redis: RedisClient, publicUrl = ''): ChatPlatform {
  return {
    name: 'playground',
    format: markdownFormat,
    // The key is checked and the message stored in one Redis script, so a post is never made twice,
    // retried with an uncertain `attempt` or not: the message made under the key is returned.
    post: (channel, post) => postMessage(redis, channel, post),
    async update(_channel, ref, post) {
      // The buttons are the post's as it is now (a consent post's change with its statements).
      const found = await updateMessage(redis, ref, { text: post.text, coreButtons: post.buttons ?? [] });
      if (!found) throw new Error(`playground post ${ref} is gone`);
    },
    // The page scrolls to the message its address names, in the channel or inside a thread.
    permalink: (_channel, { messageRef }) => `${publicUrl}/#${encodeURIComponent(messageRef)}`,
  };
}

async function postMessage(
  redis: RedisClient,
  channel: ChannelRef,
  post: OutboundPost,
): Promise<{ ref: string }> {
  const id = await nextMessageId(redis);
  let file: FileMeta | undefined;
  if (post.file) {
    const data = post.file.data;
    // Written first under the new id, so the post never links to a file that is not there yet.
    await storeFile(redis, id, { name: post.file.name, contentType: post.file.contentType, data });
    file = {
      name: post.file.name,
      contentType: post.file.contentType,
      size: data.length,
      url: fileUrl(id, post.file.name),
      ...(post.file.alt ? { alt: post.file.alt } : {}),
    };
  }
  const result = await appendMessage(redis, channel, {
    id,
    author: BOT_AUTHOR,
    kind: post.kind,
    text: post.text,
    threadRef: post.threadRef,
    question: post.question,
    round: post.round,
    mentions: post.mentions,
    file,
    coreButtons: post.buttons,
    dedupeKey: post.dedupeKey,
  });
  if (result.status === 'unknown-thread') {
    if (file) await removeFile(redis, id);
    // A thread that is not there now never will be: retrying cannot help.
    throw new UnrecoverableError(`playground thread ${post.threadRef} does not exist`);
  }
  if (result.status === 'duplicate' && file) await removeFile(redis, id);
  return { ref: result.id };
}
