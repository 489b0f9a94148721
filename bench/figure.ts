/**
 * What every figure of `npm run bench` reports: one row per measured value, each beside the anchor
 * measured in the same run, the ratio between them, and the goal it is held to.
 */

/** A goal on the value (`max`/`min`) and, when given, on the value over its anchor (`maxRatio`/`minRatio`). */
export interface Goal {
  max?: number;
  min?: number;
  maxRatio?: number;
  minRatio?: number;
}

export interface Row {
  /** Which figure of the table this row belongs to (`ack`, `answers`…). */
  figure: string;
  name: string;
  value: number;
  unit: string;
  anchor?: { name: string; value: number };
  /** value / anchor value. */
  ratio?: number;
  goal?: Goal;
  /** The goal as people read it, e.g. `≤ 25 ms and ≤ 1.3 × anchor`. */
  goalText: string;
  /** Undefined when the row has no goal. */
  pass?: boolean;
  /** Anything a reader needs to trust the number (what limited it, how many samples). */
  note?: string;
}

/** What a figure's run gets: where to put its Redis, how big a run to make. */
export interface FigureContext {
  /** Small sizes and short windows: checks the harness, measures nothing worth keeping. */
  quick: boolean;
  /** Idle campaign counts to measure at (the `--idle=` option). */
  idleCounts: number[];
  /** One line of progress, for a run that takes minutes. */
  say(line: string): void;
}

export interface Figure {
  /** The name `npm run bench -- <name>` selects it by. */
  name: string;
  what: string;
  run(ctx: FigureContext): Promise<FigureResult>;
}

export interface FigureResult {
  rows: Row[];
  /** Everything else measured on the way, kept in the JSON (samples, breakdowns). */
  details?: Record<string, unknown>;
}

export const round = (n: number, digits = 3) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** A row with its ratio, goal text and verdict worked out. */
export function row(fields: Omit<Row, 'ratio' | 'goalText' | 'pass'> & { goalText?: string }): Row {
  const ratio =
    fields.anchor && fields.anchor.value > 0 ? round(fields.value / fields.anchor.value) : undefined;
  const goal = fields.goal;
  const hasGoal = goal !== undefined && Object.keys(goal).length > 0;
  return {
    ...fields,
    value: round(fields.value),
    ...(fields.anchor ? { anchor: { ...fields.anchor, value: round(fields.anchor.value) } } : {}),
    ...(ratio === undefined ? {} : { ratio }),
    goalText: fields.goalText ?? (goal ? describeGoal(goal, fields.unit) : '—'),
    ...(hasGoal && goal ? { pass: meets(fields.value, ratio, goal) } : {}),
  };
}

function meets(value: number, ratio: number | undefined, goal: Goal): boolean {
  if (goal.max !== undefined && !(value <= goal.max)) return false;
  if (goal.min !== undefined && !(value >= goal.min)) return false;
  // A ratio goal with no anchor measured cannot be met.
  if (goal.maxRatio !== undefined && !(ratio !== undefined && ratio <= goal.maxRatio)) return false;
  if (goal.minRatio !== undefined && !(ratio !== undefined && ratio >= goal.minRatio)) return false;
  return true;
}

export function describeGoal(goal: Goal, unit: string): string {
  const parts: string[] = [];
  if (goal.max !== undefined) parts.push(`≤ ${formatNumber(goal.max)} ${unit}`);
  if (goal.min !== undefined) parts.push(`≥ ${formatNumber(goal.min)} ${unit}`);
  if (goal.maxRatio !== undefined) parts.push(`≤ ${goal.maxRatio} × anchor`);
  if (goal.minRatio !== undefined) parts.push(`≥ ${goal.minRatio} × anchor`);
  return parts.join(' and ') || '—';
}

/** Three significant digits at most, thousands separated: what a table cell holds. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return n.toLocaleString('en', { maximumFractionDigits: digits });
}
