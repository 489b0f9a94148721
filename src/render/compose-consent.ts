import { findBlock } from '../canvas/template-loader.js';
import { roundAt } from '../facilitation/rounds.js';
import { currentStances, quorumOf, statementStatus } from '../facilitation/statements.js';
import type { Stance } from '../facilitation/types.js';
import { buttonId, campaignTag } from '../interactions/button-ids.js';
import type { ActionButton, OutboundPost } from '../platform.js';
import { type ComposeContext, canvasOf, commonView, renderWith } from './compose-views.js';
import { clipLabel } from './core-buttons.js';
import { interactionWords } from './interaction-words.js';
import { formatDeadline } from './view-helpers.js';

type ComposedPost = Omit<OutboundPost, 'dedupeKey'>;

const count = (stances: { stance: Stance }[], stance: Stance) =>
  stances.filter((s) => s.stance === stance).length;

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
    const stances = currentStances(version);
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
        by: version.by.name,
        text: version.text,
        closesAt: formatDeadline(version.closesAt, lang, campaign.tz),
        consents: count(stances, 'consent'),
        concerns: count(stances, 'concern'),
        objections: count(stances, 'objection'),
        open: status === 'consent-open',
        agreed: status === 'agreed',
        objected: status === 'objected',
        draft: status === 'draft',
      },
    ];
  });
  const view = {
    ...commonView(ctx, canvasOf(ctx)),
    roundNumber: index + 1,
    roundCount: rounds.length,
    roundTitle: template.rounds?.find((r) => r.id === round.id)?.title[lang] ?? round.id,
    quorum: quorumOf(campaign),
    statements,
  };
  return { kind: 'consent', text: renderWith(ctx, 'consent', view), buttons };
}

/** A concern's or objection's reason, posted in the round's consent thread; the caller sets `threadRef`. */
export function composeStance(
  ctx: ComposeContext,
  blockId: string,
  version: number,
  index: number,
): ComposedPost {
  const { campaign, template } = ctx;
  const record = campaign.statements?.[blockId]?.versions[version - 1]?.stances[index];
  if (!record) throw new Error(`no stance ${blockId} v${version} #${index} in ${campaign.id}`);
  const view = {
    ...commonView(ctx, canvasOf(ctx)),
    name: record.author.name,
    title: findBlock(template, blockId)?.block.title[campaign.lang] ?? blockId,
    version,
    concern: record.stance === 'concern',
    objection: record.stance === 'objection',
    reason: record.reason ?? '',
  };
  return { kind: 'stance', text: renderWith(ctx, 'stance', view) };
}
