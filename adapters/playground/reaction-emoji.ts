/** The longest reaction kept, in UTF-16 units: a family or a flag with its joiners fits, a sentence does not. */
export const MAX_EMOJI_UNITS = 16;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
// Something drawn as a picture: a pictograph, a flag's regional indicators, or a keycap (1️⃣).
const PICTURE = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
const BLANK = /[\p{White_Space}\p{Cc}]/u;

/** Whether `text` is one emoji as a chat app shows one reaction: one grapheme, drawn as a picture. */
export function isReactionEmoji(text: string): boolean {
  if (text.length === 0 || text.length > MAX_EMOJI_UNITS || BLANK.test(text)) return false;
  let count = 0;
  for (const _ of graphemes.segment(text)) if (++count > 1) return false;
  return PICTURE.test(text);
}
