import type { Lang, OstromRating, Stance } from '../facilitation/types.js';

/**
 * The words of the core's own buttons and forms (shared statements, stances, actions). Platforms limit
 * them: a form title 24 characters (Slack), a field label 45 (Discord), a button label 75 (Slack).
 */
export interface InteractionWords {
  write: string;
  revise: string;
  stance: Record<Stance, string>;
  addAction: string;
  statementTitle: string;
  statementField: string;
  reasonTitle: Record<'concern' | 'objection', string>;
  reasonField: Record<'concern' | 'objection', string>;
  actionTitle: string;
  actionWhat: string;
  actionWho: string;
  actionDue: string;
  actionIndicator: string;
  rateOstrom(part: number, parts: number): string;
  ostromTitle(part: number, parts: number): string;
  rating: Record<OstromRating, string>;
  send: string;
  cancel: string;
  required: string;
  badDate: string;
}

const WORDS: Record<Lang, InteractionWords> = {
  fr: {
    write: '📝 Rédiger la version commune',
    revise: '✏️ Réviser',
    stance: { consent: '✅ Je consens', concern: '🟡 Réserve', objection: '🛑 Objection' },
    addAction: '🎯 Proposer une action',
    statementTitle: 'Version commune',
    statementField: 'Le texte sur lequel s’accorder',
    reasonTitle: { concern: 'Une réserve', objection: 'Une objection' },
    reasonField: { concern: 'Votre réserve (facultatif)', objection: 'Ce qui nuirait à la communauté' },
    actionTitle: 'Une action',
    actionWhat: 'Quoi',
    actionWho: 'Qui s’en charge',
    actionDue: 'Pour quand (AAAA-MM-JJ)',
    actionIndicator: 'L’indicateur qui dira que c’est fait',
    rateOstrom: (part, parts) => `📊 Principes d’Ostrom${parts > 1 ? ` (${part}/${parts})` : ''}`,
    ostromTitle: (part, parts) => `Principes d’Ostrom${parts > 1 ? ` ${part}/${parts}` : ''}`,
    rating: {
      'in-place': 'En place',
      partly: 'En partie',
      'not-yet': 'Pas encore',
      unknown: 'Je ne sais pas',
    },
    send: 'Envoyer',
    cancel: 'Annuler',
    required: 'Ce champ est nécessaire.',
    badDate: 'Une date comme 2027-03-31, s’il vous plaît.',
  },
  en: {
    write: '📝 Write the shared version',
    revise: '✏️ Revise',
    stance: { consent: '✅ Consent', concern: '🟡 Concern', objection: '🛑 Objection' },
    addAction: '🎯 Propose an action',
    statementTitle: 'Shared version',
    statementField: 'The text to agree on',
    reasonTitle: { concern: 'A concern', objection: 'An objection' },
    reasonField: { concern: 'Your concern (optional)', objection: 'What would harm the community' },
    actionTitle: 'An action',
    actionWhat: 'What',
    actionWho: 'Who takes it on',
    actionDue: 'By when (YYYY-MM-DD)',
    actionIndicator: 'The indicator that shows it is done',
    rateOstrom: (part, parts) => `📊 Ostrom’s principles${parts > 1 ? ` (${part}/${parts})` : ''}`,
    ostromTitle: (part, parts) => `Ostrom’s principles${parts > 1 ? ` ${part}/${parts}` : ''}`,
    rating: { 'in-place': 'In place', partly: 'Partly', 'not-yet': 'Not yet', unknown: 'Don’t know' },
    send: 'Send',
    cancel: 'Cancel',
    required: 'This field is needed.',
    badDate: 'A date such as 2027-03-31, please.',
  },
};

export function interactionWords(lang: Lang): InteractionWords {
  return WORDS[lang];
}
