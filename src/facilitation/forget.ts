import { refDigest } from './people.js';
import { ok } from './results.js';
import { roundIdOf } from './statements.js';
import type {
  Answer,
  Campaign,
  Effect,
  ErasedPost,
  HeldChange,
  Person,
  Statement,
  StatementVersion,
  TransitionResult,
} from './types.js';

/** Whether this message id is one of a forgotten answer's: delivered again, it is not taken back. */
export function isForgottenRef(campaign: Campaign, ref: string): boolean {
  return campaign.forgotten?.refs.includes(refDigest(ref)) ?? false;
}

/** How many answers were removed at their authors' request, in all or in one block. */
export function forgottenCount(campaign: Campaign, blockId?: string): number {
  const counts = campaign.forgotten?.answers ?? {};
  if (blockId !== undefined) return counts[blockId] ?? 0;
  return Object.values(counts).reduce((n, c) => n + c, 0);
}

/**
 * `forget-me` in one campaign: the member's answers go, history and all (the store deletes them); their
 * support reactions, ratings and place in the reminder list go; their stances stay in the tallies under
 * a stand-in with no name and no reason, so a decision others relied on does not change behind their
 * back; a shared text they wrote as an admin stays the community's, without their name. Posts that
 * quoted them are edited to say only that something was removed. What is left: a count per block.
 */
export function forgetMember(campaign: Campaign, personId: string): TransitionResult {
  // Nothing of theirs here: the campaign stays as it was, and no request is counted.
  if (!holdsAnythingOf(campaign, personId)) return ok(campaign, [reply(0, 0)]);
  const members = (campaign.forgotten?.members ?? 0) + 1;
  const standIn: Person = { id: `forgotten-${members}`, name: '' };
  const mine = Object.values(campaign.answers).filter((a) => a.author.id === personId);
  const mineIds = new Set(mine.map((a) => a.id));
  const effects: Effect[] = [];

  const answers: Record<string, Answer> = {};
  for (const answer of Object.values(campaign.answers))
    if (!mineIds.has(answer.id)) answers[answer.id] = withoutReactionOf(answer, personId);

  const echoRefs = new Map(Object.entries(campaign.echoes ?? {}).map(([ref, id]) => [id, ref]));
  for (const a of mine)
    if (a.source === 'modal')
      effects.push(
        erase({ kind: 'echo', answerId: a.id, blockId: a.blockId, ...refPart(echoRefs.get(a.id)) }),
      );

  const actionConsents: Record<string, Statement> = {};
  for (const [answerId, consent] of Object.entries(campaign.actionConsents ?? {})) {
    if (mineIds.has(answerId)) {
      const ref = refPart(campaign.actionPostRefs?.[answerId]);
      effects.push(erase({ kind: 'action', answerId, blockId: consent.blockId, ...ref }));
      continue;
    }
    const kept = standInFor(consent, personId, standIn, answerId, effects);
    actionConsents[answerId] = kept;
  }

  const statements: Record<string, Statement> = {};
  const revisedRounds = new Set<string>();
  for (const [blockId, statement] of Object.entries(campaign.statements ?? {})) {
    const kept = standInFor(statement, personId, standIn, undefined, effects);
    // The consent post names each version's writer: it is edited without this one's name.
    if (statement.versions.some((v) => v.by.id === personId)) {
      const roundId = roundIdOf(campaign, blockId);
      if (roundId) revisedRounds.add(roundId);
    }
    statements[blockId] = kept;
  }

  const counted = mine.filter((a) => !a.removedAt);
  const byBlock = { ...campaign.forgotten?.answers };
  for (const a of counted) byBlock[a.blockId] = (byBlock[a.blockId] ?? 0) + 1;

  const next: Campaign = {
    ...omitEmpty(campaign),
    answers,
    ...nonEmpty('statements', statements),
    ...nonEmpty('actionConsents', actionConsents),
    ...nonEmpty('actionPostRefs', withoutKeys(campaign.actionPostRefs, mineIds)),
    ...nonEmpty(
      'echoes',
      Object.fromEntries(Object.entries(campaign.echoes ?? {}).filter(([, id]) => !mineIds.has(id))),
    ),
    ...nonEmpty(
      'ostrom',
      Object.fromEntries(Object.entries(campaign.ostrom ?? {}).filter(([id]) => id !== personId)),
    ),
    ...nonEmptyList(
      'remindMe',
      (campaign.remindMe ?? []).filter((p) => p.id !== personId),
    ),
    ...nonEmpty('held', withoutHeldOf(campaign.held, personId)),
    createdBy: campaign.createdBy.id === personId ? { id: '', name: '' } : campaign.createdBy,
  };
  const forgotten = {
    answers: byBlock,
    members,
    refs: [...(campaign.forgotten?.refs ?? []), ...mine.map((a) => refDigest(a.id))],
  };
  return ok({ ...next, forgotten }, [
    ...effects,
    ...[...revisedRounds].map((roundId): Effect => ({ type: 'update-consent', roundId })),
    { type: 'update-progress' },
    reply(counted.length, 1),
  ]);
}

/** Whether anything in the campaign is the member's or names them. */
export function holdsAnythingOf(campaign: Campaign, personId: string): boolean {
  const statements = [
    ...Object.values(campaign.statements ?? {}),
    ...Object.values(campaign.actionConsents ?? {}),
  ];
  return (
    campaign.createdBy.id === personId ||
    Object.values(campaign.answers).some(
      (a) =>
        a.author.id === personId || Object.values(a.reactions ?? {}).some((who) => who.includes(personId)),
    ) ||
    statements.some((s) =>
      s.versions.some((v) => v.by.id === personId || v.stances.some((x) => x.author.id === personId)),
    ) ||
    campaign.ostrom?.[personId] !== undefined ||
    (campaign.remindMe ?? []).some((p) => p.id === personId) ||
    Object.values(campaign.held ?? {}).some((changes) =>
      changes.some((c) => c.kind === 'edit' && c.author?.id === personId),
    )
  );
}

/** `changed`: 1 when something of theirs was here, so the engine counts the campaigns it left. */
const reply = (answers: number, changed: number): Effect => ({
  type: 'reply',
  key: 'reply-forgotten',
  vars: { answers, changed },
});

const erase = (post: ErasedPost): Effect => ({ type: 'erase-post', post });

/** `ref` only when the campaign kept it (a stored field is never `undefined`). */
const refPart = (ref: string | undefined) => (ref === undefined ? {} : { ref });

/**
 * A statement (or an action's consent) with the member's stances under the stand-in, without their
 * reason (whose post in the thread is erased), and their name off the versions they wrote.
 */
function standInFor(
  statement: Statement,
  personId: string,
  standIn: Person,
  answerId: string | undefined,
  effects: Effect[],
): Statement {
  const versions = statement.versions.map((version, v): StatementVersion => {
    const stances = version.stances.map((s, index) => {
      if (s.author.id !== personId) return s;
      if (s.reason)
        effects.push(
          erase({
            kind: 'stance',
            blockId: statement.blockId,
            version: v + 1,
            index,
            ...(answerId === undefined ? {} : { answerId }),
          }),
        );
      return { author: standIn, stance: s.stance, at: s.at };
    });
    const by = version.by.id === personId ? { id: '', name: '' } : version.by;
    return { ...version, by, stances };
  });
  return { ...statement, versions };
}

function withoutReactionOf(answer: Answer, personId: string): Answer {
  if (!answer.reactions) return answer;
  const reactions: Record<string, string[]> = {};
  for (const [emoji, who] of Object.entries(answer.reactions)) {
    const kept = who.filter((id) => id !== personId);
    if (kept.length > 0) reactions[emoji] = kept;
  }
  const { reactions: _all, ...rest } = answer;
  return Object.keys(reactions).length > 0 ? { ...rest, reactions } : rest;
}

/** Early edits the member made to answers that have not arrived: they will not be applied. */
function withoutHeldOf(held: Campaign['held'], personId: string): Record<string, HeldChange[]> {
  const kept: Record<string, HeldChange[]> = {};
  for (const [answerId, changes] of Object.entries(held ?? {})) {
    const others = changes.filter((c) => c.kind !== 'edit' || c.author?.id !== personId);
    if (others.length > 0) kept[answerId] = others;
  }
  return kept;
}

function withoutKeys<T>(record: Record<string, T> | undefined, drop: Set<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(record ?? {}).filter(([key]) => !drop.has(key)));
}

/** The optional fields rebuilt below, taken off first: an emptied one is not stored as `{}`. */
function omitEmpty(campaign: Campaign): Campaign {
  const {
    statements: _s,
    actionConsents: _a,
    actionPostRefs: _p,
    echoes: _e,
    ostrom: _o,
    remindMe: _r,
    held: _h,
    ...rest
  } = campaign;
  return rest as Campaign;
}

const nonEmpty = <K extends string, T>(key: K, record: Record<string, T>) =>
  (Object.keys(record).length > 0 ? { [key]: record } : {}) as Partial<Record<K, Record<string, T>>>;

const nonEmptyList = <K extends string, T>(key: K, list: T[]) =>
  (list.length > 0 ? { [key]: list } : {}) as Partial<Record<K, T[]>>;
