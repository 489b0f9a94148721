import { randomBytes } from 'node:crypto';
import { findBlock } from '../canvas/template-loader.js';
import type { CanvasTemplate } from '../canvas/template-schema.js';
import { formatAction, isActionBlock } from '../facilitation/actions.js';
import { activeAnswers } from '../facilitation/machine.js';
import { MAX_REASON_LENGTH } from '../facilitation/statements.js';
import { bySupport } from '../facilitation/support.js';
import {
  type Actor,
  type Campaign,
  type CampaignEvent,
  MAX_ANSWER_LENGTH,
  OSTROM_RATINGS,
  type OstromRating,
  type UserErrorId,
} from '../facilitation/types.js';
import type { FormSpec } from '../inbound.js';
import { interactionWords } from '../render/interaction-words.js';
import { clip } from '../render/view-helpers.js';
import { isDate } from '../schedule/calendar.js';
import { type ButtonAction, buttonId, campaignTag } from './button-ids.js';

/** What a press or a submission comes to: a form to open, an event to apply, or a refusal. */
export type Outcome =
  | { form: FormSpec }
  | { event: CampaignEvent }
  | { refuse: UserErrorId; vars?: Record<string, string | number> }
  | { fieldErrors: Record<string, string> };

/** The longest text a form field pre-fills (Slack's text inputs take 3,000 characters). */
const MAX_PREFILL = 3000;
const STATEMENT_FIELD = 'text';
const REASON_FIELD = 'reason';
export const ACTION_FIELDS = ['what', 'who', 'due', 'indicator'] as const;

/** Whether the button belongs to this campaign and names one of its blocks (or of its actions). */
export function check(campaign: Campaign, action: ButtonAction): Outcome | undefined {
  if (campaignTag(campaign.id) !== action.tag) return { refuse: 'campaign-ended' };
  if (action.verb === 'ostrom') return undefined;
  if (action.verb === 'astance')
    return campaign.actionConsents?.[action.answerId] ? undefined : { refuse: 'no-statement' };
  if (!campaign.questions.some((q) => q.blockId === action.blockId))
    return { refuse: 'unknown-block', vars: { blockId: action.blockId } };
  return undefined;
}

/** A press: writing and revising open the statement form (admins), stances apply or ask their reason. */
export function press(
  campaign: Campaign,
  template: CanvasTemplate,
  action: ButtonAction,
  actor: Actor,
): Outcome {
  const words = interactionWords(campaign.lang);
  if (action.verb === 'ostrom') return ostromForm(campaign, template, action.part, buttonId(action));
  if (action.verb === 'stance' || action.verb === 'astance') {
    if (action.stance === 'consent') return { event: stanceEvent(campaign, action, actor) };
    return reasonForm(campaign, action.stance, buttonId(action));
  }
  const title = findBlock(template, action.blockId)?.block.title[campaign.lang] ?? action.blockId;
  const id = buttonId(action);
  switch (action.verb) {
    case 'write':
    case 'revise': {
      if (!actor.isAdmin) return { refuse: 'not-admin' };
      const current = campaign.statements?.[action.blockId]?.versions.at(-1)?.text;
      const answers = bySupport(activeAnswers(campaign, action.blockId)).map((a) => a.text.trim());
      const value = (current ?? answers.join('\n\n')).slice(0, MAX_PREFILL);
      return {
        form: {
          id,
          title: words.statementTitle,
          submit: words.send,
          cancel: words.cancel,
          fields: [
            {
              id: STATEMENT_FIELD,
              label: clip(`${title} · ${words.statementField}`, 45),
              kind: 'long-text',
              required: true,
              ...(value ? { value } : {}),
              maxLength: MAX_PREFILL,
            },
          ],
        },
      };
    }
    case 'action':
      if (!isActionBlock(template, action.blockId))
        return { refuse: 'unknown-block', vars: { blockId: action.blockId } };
      return {
        form: {
          id,
          title: words.actionTitle,
          submit: words.send,
          cancel: words.cancel,
          fields: [
            { id: 'what', label: words.actionWhat, kind: 'text', required: true, maxLength: 300 },
            { id: 'who', label: words.actionWho, kind: 'text', required: true, maxLength: 100 },
            { id: 'due', label: words.actionDue, kind: 'date', required: true },
            {
              id: 'indicator',
              label: clip(words.actionIndicator, 45),
              kind: 'text',
              required: true,
              maxLength: 300,
            },
          ],
        },
      };
    default: {
      const unknown: never = action;
      throw new Error(`unknown button ${JSON.stringify(unknown)}`);
    }
  }
}

/** A filled form, read into the event it stands for; a missing or malformed field is named. */
export function submit(
  campaign: Campaign,
  template: CanvasTemplate,
  action: ButtonAction,
  actor: Actor,
  values: Record<string, string>,
): Outcome {
  const words = interactionWords(campaign.lang);
  switch (action.verb) {
    case 'ostrom':
      return ostromRatings(campaign, template, action.part, actor, values);
    case 'write':
    case 'revise': {
      const text = values[STATEMENT_FIELD] ?? '';
      if (text.trim() === '') return { fieldErrors: { [STATEMENT_FIELD]: words.required } };
      return { event: { type: 'statement', actor, blockId: action.blockId, text } };
    }
    case 'stance':
    case 'astance': {
      const reason = values[REASON_FIELD] ?? '';
      if (action.stance === 'objection' && reason.trim() === '')
        return { fieldErrors: { [REASON_FIELD]: words.required } };
      return { event: stanceEvent(campaign, action, actor, reason) };
    }
    case 'action': {
      if (!isActionBlock(template, action.blockId))
        return { refuse: 'unknown-block', vars: { blockId: action.blockId } };
      const errors: Record<string, string> = {};
      for (const field of ACTION_FIELDS)
        if ((values[field] ?? '').trim() === '') errors[field] = words.required;
      const due = (values.due ?? '').trim();
      if (due !== '' && !isDate(due)) errors.due = words.badDate;
      if (Object.keys(errors).length > 0) return { fieldErrors: errors };
      const text = formatAction({
        what: (values.what ?? '').trim(),
        who: (values.who ?? '').trim(),
        due,
        indicator: (values.indicator ?? '').trim(),
      });
      if ([...text].length > MAX_ANSWER_LENGTH)
        return { refuse: 'answer-too-long', vars: { max: MAX_ANSWER_LENGTH, length: [...text].length } };
      return {
        event: {
          type: 'answer-added',
          answer: {
            // A form has no message of its own: the answer gets an id of its own.
            id: `form-${randomBytes(9).toString('base64url')}`,
            blockId: action.blockId,
            author: { id: actor.id, name: actor.name },
            text,
            source: 'modal',
          },
        },
      };
    }
    default: {
      const unknown: never = action;
      throw new Error(`unknown form ${JSON.stringify(unknown)}`);
    }
  }
}

/** Principles per part of the assessment: a Discord form holds five fields at most. */
export const PRINCIPLES_PER_PART = 4;

/** How many parts the template's principles take. */
export function ostromParts(template: CanvasTemplate): number {
  return Math.ceil(template.ostrom.length / PRINCIPLES_PER_PART);
}

function principlesOf(template: CanvasTemplate, part: number) {
  return template.ostrom.slice((part - 1) * PRINCIPLES_PER_PART, part * PRINCIPLES_PER_PART);
}

/** One select per principle of the part, pre-set to the member's earlier reading. */
function ostromForm(campaign: Campaign, template: CanvasTemplate, part: number, id: string): Outcome {
  const principles = principlesOf(template, part);
  if (principles.length === 0) return { refuse: 'bad-argument', vars: { argument: `ostrom ${part}` } };
  const words = interactionWords(campaign.lang);
  const options = OSTROM_RATINGS.map((value) => ({ value, label: words.rating[value] }));
  return {
    form: {
      id,
      title: words.ostromTitle(part, ostromParts(template)),
      submit: words.send,
      cancel: words.cancel,
      fields: principles.map((p) => ({
        id: p.id,
        label: clip(p.title[campaign.lang], 45),
        kind: 'select' as const,
        required: false,
        options,
      })),
    },
  };
}

/** The selects filled in (a principle left blank keeps the member's earlier reading). */
function ostromRatings(
  campaign: Campaign,
  template: CanvasTemplate,
  part: number,
  actor: Actor,
  values: Record<string, string>,
): Outcome {
  const ratings: Record<string, OstromRating> = {};
  const errors: Record<string, string> = {};
  for (const p of principlesOf(template, part)) {
    const value = values[p.id] ?? '';
    if (value === '') continue;
    if ((OSTROM_RATINGS as readonly string[]).includes(value)) ratings[p.id] = value as OstromRating;
    else errors[p.id] = interactionWords(campaign.lang).required;
  }
  if (Object.keys(errors).length > 0) return { fieldErrors: errors };
  return { event: { type: 'ostrom-rating', person: { id: actor.id, name: actor.name }, ratings } };
}

/** The reason for a concern (optional) or an objection (required). */
function reasonForm(campaign: Campaign, stance: 'concern' | 'objection', id: string): Outcome {
  const words = interactionWords(campaign.lang);
  return {
    form: {
      id,
      title: words.reasonTitle[stance],
      submit: words.send,
      cancel: words.cancel,
      fields: [
        {
          id: REASON_FIELD,
          label: clip(words.reasonField[stance], 45),
          kind: 'long-text',
          required: stance === 'objection',
          maxLength: MAX_REASON_LENGTH,
        },
      ],
    },
  };
}

function stanceEvent(
  campaign: Campaign,
  action: Extract<ButtonAction, { verb: 'stance' | 'astance' }>,
  actor: Actor,
  reason = '',
): CampaignEvent {
  const subject =
    action.verb === 'stance'
      ? { blockId: action.blockId }
      : { blockId: campaign.answers[action.answerId]?.blockId ?? '', answerId: action.answerId };
  return {
    type: 'stance',
    person: { id: actor.id, name: actor.name },
    ...subject,
    version: action.version,
    stance: action.stance,
    ...(reason.trim() ? { reason } : {}),
  };
}
