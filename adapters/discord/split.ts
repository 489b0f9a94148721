/** Discord's limits (https://discord.com/developers/docs/resources/message#create-message). */
export const MESSAGE_LIMIT = 2000;
export const EMBED_DESCRIPTION_LIMIT = 4096;
export const EMBED_TITLE_LIMIT = 256;
export const THREAD_NAME_LIMIT = 100;

export { splitText } from '../../src/index.js';

/** Shortens to `limit` characters with an ellipsis. */
export function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
