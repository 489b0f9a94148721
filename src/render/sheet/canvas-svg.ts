import type { CompiledArea, CompiledCanvas } from '../../canvas/canvas-types.js';
import { formatDay, formatPercent } from '../view-helpers.js';
import { measureText } from './font-metrics.js';
import { desiredCellHeight, drawCell, minimumCellHeight } from './sheet-cell.js';
import { boxed, line, MUTED, type Rect, rect, split } from './sheet-draw.js';
import { contributorsHeight, drawContributors } from './sheet-people.js';
import { SHEET_WORDS, type SheetWords } from './sheet-words.js';
import { n, xml } from './svg-markup.js';
import { fitLine, type TextStyle, wrapText } from './text-fit.js';

/** A3 landscape, 4 units a millimetre. */
const SHEET_WIDTH = 1680;
const SHEET_HEIGHT = 1188;
const MARGIN = 36;
const GAP = 12;
const BAND_HEIGHT = 180;
const AREA_TITLE = 30;
const CONTENT_TOP = 136;
/** The credit line's two lines sit at the foot; the contributors' box grows upwards from it. */
const CREDIT_TOP = 1118;

const NAME: TextStyle = { size: 30, weight: 'bold' };
const SUBTITLE: TextStyle = { size: 13, weight: 'regular' };
const AREA: TextStyle = { size: 15, weight: 'bold' };
const SMALL: TextStyle = { size: 11, weight: 'regular' };
const FICHE: TextStyle = { size: 12, weight: 'bold' };
const CREDIT: TextStyle = { size: 10.5, weight: 'regular' };

/** Pale fills with a dark ink of the same hue: every pair passes WCAG AA for text. */
const PALETTE = [
  { fill: '#e8eef8', title: '#1d3557' },
  { fill: '#fbeee4', title: '#7a3300' },
  { fill: '#e8f4ea', title: '#1e5430' },
  { fill: '#f1ebf8', title: '#4b2a7a' },
  { fill: '#fdf5d8', title: '#5e4500' },
  { fill: '#e4f3f5', title: '#0b4f5a' },
  { fill: '#efefef', title: '#333333' },
];

function colours(index: number) {
  return PALETTE[index % PALETTE.length] as (typeof PALETTE)[number];
}

function header(canvas: CompiledCanvas, words: SheetWords): string {
  const { campaign, template, progress } = canvas;
  const box: Rect = { x: MARGIN, y: MARGIN - 4, w: SHEET_WIDTH - 2 * MARGIN, h: CONTENT_TOP - MARGIN - 6 };
  const left = 960;
  const date = formatDay(canvas.generatedAt, campaign.lang, campaign.tz);
  const subtitle = [
    campaign.name === template.name ? '' : template.name,
    date,
    words.status[campaign.status],
    `${words.answers(canvas.totalAnswers)}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const parts = [
    line(MARGIN, MARGIN + 34, [{ text: fitLine(campaign.name, left, NAME), style: NAME, fill: '#1d3557' }]),
    line(MARGIN, MARGIN + 62, [{ text: fitLine(subtitle, left, SUBTITLE), style: SUBTITLE, fill: MUTED }]),
  ];
  const barsX = MARGIN + left + 40;
  const barX = barsX + 220;
  const barW = SHEET_WIDTH - MARGIN - barX - 90;
  const rows = [
    ...canvas.fiches.map((f) => ({
      label: `${f.number}. ${f.title}`,
      ratio: f.ratio,
      of: `${f.answered}/${f.total}`,
    })),
    { label: words.progress, ratio: progress.ratio, of: `${progress.answered}/${progress.total}` },
  ];
  const rowH = Math.min(22, (box.h - 4) / rows.length);
  for (const [i, row] of rows.entries()) {
    const y = box.y + 4 + i * rowH;
    const baseline = y + FICHE.size;
    parts.push(
      line(barsX, baseline, [{ text: fitLine(row.label, 210, FICHE), style: FICHE, fill: '#1d3557' }]),
    );
    parts.push(rect({ x: barX, y: y + 2, w: barW, h: 10 }, 'rx="5" fill="#e3e3e3"'));
    if (row.ratio > 0) {
      parts.push(
        rect({ x: barX, y: y + 2, w: Math.max(10, barW * row.ratio), h: 10 }, 'rx="5" fill="#2a6f3e"'),
      );
    }
    const figure = `${row.of} · ${formatPercent(row.ratio, campaign.lang)}`;
    parts.push(line(SHEET_WIDTH - MARGIN, baseline, [{ text: figure, style: SMALL, fill: MUTED }], 'end'));
  }
  return boxed('header', box, parts.join(''));
}

interface Placed {
  area: CompiledArea;
  box: Rect;
  /** Bands lay their blocks side by side; columns stack them. */
  flow: 'row' | 'column';
  colour: number;
}

function placeAreas(canvas: CompiledCanvas, peopleTop: number): Placed[] {
  const indexed = canvas.synthesis.map((area, colour) => ({ area, colour }));
  const headers = indexed.filter((a) => a.area.placement === 'header');
  const bodies = indexed.filter((a) => a.area.placement === 'body');
  const footers = indexed.filter((a) => a.area.placement === 'footer');
  const width = SHEET_WIDTH - 2 * MARGIN;
  let top = CONTENT_TOP;
  let bottom = peopleTop - GAP;
  const placed: Placed[] = [];
  const band = (group: typeof indexed, y: number, h: number, flow: Placed['flow']) => {
    for (const [i, part] of split(MARGIN, width, group.length, GAP).entries()) {
      const item = group[i] as (typeof indexed)[number];
      placed.push({ ...item, box: { x: part.at, y, w: part.size, h }, flow });
    }
  };
  if (headers.length > 0) {
    band(headers, top, BAND_HEIGHT, 'row');
    top += BAND_HEIGHT + GAP;
  }
  if (footers.length > 0) {
    bottom -= BAND_HEIGHT;
    band(footers, bottom, BAND_HEIGHT, 'row');
    bottom -= GAP;
  }
  if (bodies.length > 0) band(bodies, top, bottom - top, 'column');
  return placed;
}

/** Heights for stacked blocks: each gets its minimum, then the rest goes where answers need room. */
function stackHeights(area: CompiledArea, width: number, total: number, words: SheetWords): number[] {
  const minimum = area.blocks.map((b) => minimumCellHeight(b, width, words));
  const desired = area.blocks.map((b, i) =>
    Math.max(desiredCellHeight(b, width, words), minimum[i] as number),
  );
  const spare = total - minimum.reduce((a, b) => a + b, 0);
  const wanted = desired.reduce((sum, d, i) => sum + d - (minimum[i] as number), 0);
  return minimum.map((min, i) => {
    const extra = (desired[i] as number) - min;
    if (spare <= 0 || wanted === 0) return min + Math.max(0, spare) / minimum.length;
    return min + (spare >= wanted ? extra + (spare - wanted) / minimum.length : (spare * extra) / wanted);
  });
}

function drawArea(placed: Placed, words: SheetWords): string {
  const { area, box, flow } = placed;
  const palette = colours(placed.colour);
  const parts: string[] = [];
  const count = words.answers(area.count);
  const countWidth = measureText(count, SMALL.size);
  const titleBox: Rect = { x: box.x, y: box.y, w: box.w, h: AREA_TITLE };
  parts.push(
    boxed(
      'area',
      titleBox,
      rect(box, `rx="8" fill="${palette.fill}" stroke="${palette.title}" stroke-width="1.5"`) +
        line(box.x + 10, box.y + 21, [
          { text: fitLine(area.title, box.w - 28 - countWidth, AREA), style: AREA, fill: palette.title },
        ]) +
        line(
          box.x + box.w - 10,
          box.y + 20,
          [{ text: fitLine(count, countWidth, SMALL), style: SMALL, fill: MUTED }],
          'end',
        ),
      ` data-area="${area.id}"`,
    ),
  );
  const inner: Rect = { x: box.x + 8, y: box.y + AREA_TITLE, w: box.w - 16, h: box.h - AREA_TITLE - 8 };
  if (area.blocks.length === 0) return parts.join('');
  if (flow === 'row') {
    for (const [i, part] of split(inner.x, inner.w, area.blocks.length, 8).entries()) {
      const block = area.blocks[i];
      if (block)
        parts.push(drawCell(block, { x: part.at, y: inner.y, w: part.size, h: inner.h }, palette, words));
    }
  } else {
    const gap = 6;
    const heights = stackHeights(area, inner.w, inner.h - gap * (area.blocks.length - 1), words);
    let y = inner.y;
    for (const [i, block] of area.blocks.entries()) {
      const h = heights[i] as number;
      parts.push(drawCell(block, { x: inner.x, y, w: inner.w, h }, palette, words));
      y += h + gap;
    }
  }
  return parts.join('');
}

/** The credit line for inno³'s canvas, never cut: it wraps on two lines. */
function credit(canvas: CompiledCanvas, words: SheetWords): string {
  const box: Rect = {
    x: MARGIN,
    y: CREDIT_TOP,
    w: SHEET_WIDTH - 2 * MARGIN,
    h: SHEET_HEIGHT - CREDIT_TOP - 14,
  };
  const wrapped = wrapText(`${canvas.template.credit} ${words.madeWith}.`, box.w, CREDIT, 2);
  return boxed(
    'credit',
    box,
    wrapped.lines
      .map((text, i) =>
        line(MARGIN, box.y + CREDIT.size + 2 + i * 15, [{ text, style: CREDIT, fill: MUTED }]),
      )
      .join(''),
  );
}

/**
 * The synthesis canvas as an A3 landscape sheet (420 × 297 mm) in SVG, made from the campaign's own
 * answers: the name and progress of the three fiches, the identity band, the five areas, the outlook
 * band, everyone who took part and the credit line. Every line is measured with the fonts the PNG is
 * drawn with, so text never leaves its box; what does not fit is cut with "…" or counted ("+ 3 more").
 */
export function renderCanvasSvg(canvas: CompiledCanvas): string {
  const words = SHEET_WORDS[canvas.campaign.lang];
  const title = `${canvas.campaign.name} · ${canvas.template.name}`;
  const width = SHEET_WIDTH - 2 * MARGIN;
  const who = {
    names: canvas.contributors,
    count: canvas.contributorCount,
    anonymous: canvas.campaign.anonymous,
  };
  const peopleHeight = contributorsHeight(who, width, words);
  const people: Rect = { x: MARGIN, y: CREDIT_TOP - 6 - peopleHeight, w: width, h: peopleHeight };
  const body = [
    rect({ x: 0, y: 0, w: SHEET_WIDTH, h: SHEET_HEIGHT }, 'fill="#ffffff"'),
    header(canvas, words),
    ...placeAreas(canvas, people.y).map((placed) => drawArea(placed, words)),
    drawContributors(who, people, words),
    credit(canvas, words),
  ].join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="420mm" height="297mm" viewBox="0 0 ${n(SHEET_WIDTH)} ${n(
    SHEET_HEIGHT,
  )}" font-family="DejaVu Sans, Noto Emoji, sans-serif" role="img" lang="${canvas.campaign.lang}" aria-labelledby="sheet-title">
<title id="sheet-title">${xml(title)}</title>
${body}
</svg>
`;
}
