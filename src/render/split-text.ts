/**
 * Cuts text into pieces of at most `limit` characters (UTF-16 units, as platforms count them),
 * preferring a line break, then a space, and never splitting a surrogate pair. Empty text gives one
 * empty piece. Every platform has a message size limit; this is the one way Canevas cuts.
 */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = rest.lastIndexOf('\n', limit);
    if (cut < limit / 2) cut = rest.lastIndexOf(' ', limit);
    if (cut < limit / 2) cut = limit;
    const code = rest.charCodeAt(cut - 1);
    if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^\n/, '');
  }
  pieces.push(rest);
  return pieces;
}
