import { findBlock } from '../canvas/template-loader.js';
import { isLiveAction } from '../facilitation/action-consent.js';
import { parseAction } from '../facilitation/actions.js';
import { memberName, shownName } from '../facilitation/people.js';
import { roundAt } from '../facilitation/rounds.js';
import { currentStances, quorumOf, statementStatus } from '../facilitation/statements.js';
import type { Campaign, Stance, StatementStatus, StatementVersion } from '../facilitation/types.js';
import { buttonId, campaignTag } from '../interactions/button-ids.js';
import type { ActionButton, OutboundPost } from '../platform.js';
import { type ComposeContext, canvasOf, commonView, figuresOf, renderWith } from './compose-views.js';
import { clipLabel } from './core-buttons.js';
import { interactionWords } from './interaction-words.js';
import { formatDay, formatDeadline } from './view-helpers.js';

type ComposedPost = Omit<OutboundPost, 'dedupeKey'>;

const count = (stances: { stance: Stance }[], stance: Stance) =>
  stances.filter((s) => s.stance === stance).length;

/** A version's tally and where it stands, as the consent prompts show them. */
function tallyView(campaign: Campaign, version: StatementVersion, status: StatementStatus) {
  const stances = currentStances(version);
  return {
    closesAt: formatDeadline(version.closesAt, campaign.lang, campaign.tz),
    consents: count(stances, 'consent'),
    concerns: count(stances, 'concern'),
    objections: count(stances, 'objection'),
    open: status === 'consent-open',
    agreed: status === 'agreed',
    objected: status === 'objected',
    draft: status === 'draft',
  };
}

/**
 * A round's consent post: each shared statement written for its blocks, its version, its tally and
 * where it stands, with the buttons to consent, raise a concern or object (and, for admins, revise).
 * Made when the round's first statement is written, then edited in place at every change.
 */
export function composeConsent(ctx: ComposeContext, roundId: string): ComposedPost {
  const { campaign, template } = ctx;
  const lang = campaign.lang;
  const { round, index, rounds } = roundAt(campaign, roundId);
  const words = interactionWords(lang);
  const tag = campaignTag(campaign.id);
  const buttons: ActionButton[] = [];
  const statements = round.blockIds.flatMap((blockId) => {
    const statement = campaign.statements?.[blockId];
    const version = statement?.versions.at(-1);
    if (!statement || !version) return [];
    const n = statement.versions.length;
    const status = statementStatus(campaign, statement, ctx.now);
    const title = findBlock(template, blockId)?.block.title[lang] ?? blockId;
    // Several statements share the post: each button names its block.
    const label = (verb: string) => clipLabel(`${verb} · ${title}`);
    if (status === 'consent-open' || status === 'agreed' || status === 'objected') {
      if (ctx.now.toISOString() < version.closesAt)
        for (const stance of ['consent', 'concern', 'objection'] as const)
          buttons.push({
            id: buttonId({ verb: 'stance', tag, blockId, version: n, stance }),
            label: label(words.stance[stance]),
            group: blockId,
            ...(stance === 'consent' ? { style: 'primary' as const } : {}),
          });
    }
    buttons.push({
      id: buttonId({ verb: 'revise', tag, blockId }),
      label: label(words.revise),
      group: blockId,
    });
    return [
      {
        position: campaign.questions.findIndex((q) => q.blockId === blockId) + 1,
        title,
        version: n,
        revised: n > 1,
        by: shownName(version.by, lang),
        text: version.text,
        ...tallyView(campaign, version, status),
      },
    ];
  });
  const view = {
    ...commonView(ctx, figuresOf(ctx)),
    roundNumber: index + 1,
    roundCount: rounds.length,
    roundTitle: template.rounds?.find((r) => r.id === round.id)?.title[lang] ?? round.id,
    quorum: quorumOf(campaign),
    statements,
  };
  return { kind: 'consent', text: renderWith(ctx, 'consent', view), buttons };
}

/**
 * An action's consent post, in its question's thread: the action as proposed, its tally and where it
 * stands, with the three buttons while its round is open. Made once, then edited in place.
 */
export function composeActionConsent(ctx: ComposeContext, answerId: string): ComposedPost {
  const { campaign, template } = ctx;
  const lang = campaign.lang;
  const consent = campaign.actionConsents?.[answerId];
  const version = consent?.versions.at(-1);
  if (!consent || !version) throw new Error(`no consent for action ${answerId} in ${campaign.id}`);
  const action = parseAction(version.text);
  const live = isLiveAction(campaign, answerId);
  const status = statementStatus(campaign, consent, ctx.now);
  const n = consent.versions.length;
  const words = interactionWords(lang);
  const tag = campaignTag(campaign.id);
  const buttons: ActionButton[] =
    live && ctx.now.toISOString() < version.closesAt
      ? (['consent', 'concern', 'objection'] as const).map((stance) => ({
          id: buttonId({ verb: 'astance', tag, answerId, version: n, stance }),
          label: clipLabel(words.stance[stance]),
          group: answerId,
          ...(stance === 'consent' ? { style: 'primary' as const } : {}),
        }))
      : [];
  const view = {
    ...commonView(ctx, canvasOf(ctx)),
    // An action's wording is its author's answer: a member's, not a facilitator's.
    by: memberName(campaign, version.by),
    blockTitle: findBlock(template, consent.blockId)?.block.title[lang] ?? consent.blockId,
    version: n,
    revised: n > 1,
    what: action?.what ?? version.text,
    who: action?.who ?? '',
    due: action ? formatDay(`${action.due}T12:00:00Z`, lang, 'UTC') : '',
    indicator: action?.indicator ?? '',
    withdrawn: !live,
    ...tallyView(campaign, version, status),
  };
  // Buttons gone (withdrawn, or the round closed): an empty list takes the old ones off on an edit.
  return { kind: 'action-consent', text: renderWith(ctx, 'action-consent', view), buttons };
}

/** A concern's or objection's reason, posted in the thread of what it is about; the caller sets `threadRef`. */
export function composeStance(
  ctx: ComposeContext,
  blockId: string,
  version: number,
  index: number,
  answerId?: string,
): ComposedPost {
  const { campaign, template } = ctx;
  const subject =
    answerId === undefined ? campaign.statements?.[blockId] : campaign.actionConsents?.[answerId];
  const stated = subject?.versions[version - 1];
  const record = stated?.stances[index];
  if (!stated || !record) throw new Error(`no stance ${blockId} v${version} #${index} in ${campaign.id}`);
  const view = {
    ...commonView(ctx, canvasOf(ctx)),
    name: memberName(campaign, record.author),
    action: answerId !== undefined,
    title:
      answerId === undefined
        ? (findBlock(template, blockId)?.block.title[campaign.lang] ?? blockId)
        : (parseAction(stated.text)?.what ?? stated.text),
    version,
    concern: record.stance === 'concern',
    objection: record.stance === 'objection',
    reason: record.reason ?? '',
  };
  return { kind: 'stance', text: renderWith(ctx, 'stance', view) };
}
