import type { Contributor } from '../../canvas/canvas-types.js';
import { isolate } from './bidi.js';
import { measureText } from './font-metrics.js';
import { boxed, line, MUTED, type Rect, rect } from './sheet-draw.js';
import type { SheetWords } from './sheet-words.js';
import { fitLine, type TextStyle } from './text-fit.js';

const LABEL: TextStyle = { size: 12, weight: 'bold' };
const NAME: TextStyle = { size: 11, weight: 'regular' };
const LINE = 15;
const PAD = 10;
const SEPARATOR = ', ';

function entry(person: Contributor, width: number): string {
  return `${isolate(fitLine(person.name, width * 0.8, NAME))} (${person.count})`;
}

/**
 * Lays names out line by line; when they run out of room the last line ends with "+ n more" so nobody
 * is silently left off. Each name is cut to a line's width at most.
 */
function layNames(people: Contributor[], width: number, maxLines: number, words: SheetWords): string[] {
  const fitsLine = (names: string[]) => measureText(names.join(SEPARATOR), NAME.size, NAME.weight) <= width;
  const lines: string[][] = [];
  let current: string[] = [];
  for (const [index, person] of people.entries()) {
    const name = entry(person, width);
    if (fitsLine([...current, name])) {
      current.push(name);
      continue;
    }
    if (lines.length + 1 < maxLines) {
      lines.push(current);
      current = [name];
      continue;
    }
    // Out of lines: drop names from the end of this one until "+ n more" fits after it.
    let hidden = people.length - index;
    while (current.length > 0 && !fitsLine([...current, words.morePeople(hidden)])) {
      current.pop();
      hidden++;
    }
    lines.push([...current, words.morePeople(hidden)]);
    return lines.map((names) => names.join(SEPARATOR));
  }
  if (current.length > 0) lines.push(current);
  return lines.map((names) => names.join(SEPARATOR));
}

/** Who took part, as the sheet shows them: named, or (an anonymous campaign) only counted. */
export interface SheetPeople {
  names: Contributor[];
  count: number;
  anonymous: boolean;
}

/** The lines under the label: the names, or what stands in for them. */
function peopleLines(people: SheetPeople, width: number, maxLines: number, words: SheetWords): string[] {
  if (people.anonymous) return [people.count === 0 ? words.noContributors : words.anonymous];
  if (people.names.length === 0) return [words.noContributors];
  return layNames(people.names, width, maxLines, words);
}

/** At most this many lines of names: past that, the sheet counts the rest rather than shrink the areas. */
const MAX_LINES = 4;

/** The box's height: as many lines as the names need (one at least), up to MAX_LINES. */
export function contributorsHeight(people: SheetPeople, width: number, words: SheetWords): number {
  const lines = peopleLines(people, width - 2 * PAD, MAX_LINES, words).length;
  return 2 * PAD + LABEL.size + 4 + lines * LINE + 2;
}

/** Everyone who answered, with how many answers each: the "we" the canvas is made of. */
export function drawContributors(people: SheetPeople, box: Rect, words: SheetWords): string {
  const inner = box.w - 2 * PAD;
  const parts = [
    rect(box, 'rx="8" fill="#f7f7f7" stroke="#bdbdbd"'),
    line(box.x + PAD, box.y + PAD + LABEL.size, [
      { text: fitLine(words.contributors(people.count), inner, LABEL), style: LABEL, fill: '#1d3557' },
    ]),
  ];
  const maxLines = Math.min(MAX_LINES, Math.floor((box.h - 2 * PAD - LABEL.size - 4) / LINE));
  const lines = peopleLines(people, inner, maxLines, words);
  const muted = people.anonymous || people.names.length === 0;
  for (const [i, text] of lines.entries()) {
    const y = box.y + PAD + LABEL.size + 4 + (i + 1) * LINE - 3;
    parts.push(
      line(box.x + PAD, y, [
        { text: fitLine(text, inner, NAME), style: NAME, fill: muted ? MUTED : undefined },
      ]),
    );
  }
  return boxed('contributors', box, parts.join(''), ` data-people="${people.count}"`);
}
