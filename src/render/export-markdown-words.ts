import type { CompiledAction } from '../canvas/canvas-types.js';
import type { CampaignStatus, Lang, StatementStatus } from '../facilitation/types.js';
import { plural } from './view-helpers.js';

/** The document's own words (a file, not a chat message, so they live here rather than in prompts/). */
export interface DocumentWords {
  titleSuffix: string;
  colon: string;
  status: string;
  statusOf: Record<CampaignStatus, string>;
  workshop: string;
  fromTo: (from: string, to: string) => string;
  people: string;
  answers: string;
  agreedCount: string;
  agreedOf: (agreed: number, total: number) => string;
  review: string;
  howToRead: string;
  agreed: string;
  fiche: string;
  noStatementFor: string;
  version: (n: number) => string;
  agreedBy: (day: string, names: string) => string;
  withConcerns: (n: number) => string;
  objected: string;
  underConsent: (until: string) => string;
  draft: string;
  concernBy: (name: string) => string;
  actions: string;
  noActions: string;
  actionCols: string[];
  actionStatus: Record<CompiledAction['status'], string>;
  link: string;
  ostrom: string;
  ostromNote: string;
  ostromCols: string[];
  addressed: string;
  notAddressed: string;
  open: string;
  noOpen: string;
  pendingOf: Record<StatementStatus, string>;
  split: (block: string, author: string) => string;
  notYetPrinciple: (count: number) => string;
  annex: string;
  question: string;
  gap: string;
  edited: string;
  credits: string;
  tool: string;
  /** How many consented, in an anonymous campaign (where the names are not shown). */
  members: (n: number) => string;
  anonymous: string;
  /** Answers removed at their authors' request: how many, never what or whose. */
  forgotten: (n: number) => string;
}

const NBSP = '\u00A0';

export const DOCUMENT_WORDS: Record<Lang, DocumentWords> = {
  fr: {
    titleSuffix: ' — Canevas de gouvernance',
    colon: `${NBSP}: `,
    status: 'Statut',
    statusOf: {
      scheduled: 'atelier pas encore commencé',
      running: 'brouillon en discussion (atelier en cours)',
      paused: 'brouillon en discussion (atelier en pause)',
      completed: 'atelier terminé',
      cancelled: 'atelier arrêté avant la fin',
    },
    workshop: 'Atelier',
    fromTo: (from, to) => `du ${from} au ${to}`,
    people: 'Personnes',
    answers: 'Réponses',
    agreedCount: 'Adopté',
    agreedOf: (agreed, total) =>
      `${plural(agreed, 'fr', 'version commune', 'versions communes')} sur ${total} questions`,
    review: 'Prochaine revue',
    howToRead:
      'Ce que la communauté a adopté par consentement vient d’abord ; les réponses de chacune et chacun sont en annexe.',
    agreed: 'Ce que nous avons adopté',
    fiche: 'Fiche',
    noStatementFor: 'Pas encore de version commune',
    version: (n) => `(version ${n})`,
    agreedBy: (day, names) => `Adoptée par consentement le ${day} (${names})`,
    withConcerns: (n) => `, avec ${plural(n, 'fr', 'réserve', 'réserves')}`,
    objected: 'Objection en cours : le texte proposé est à réviser',
    underConsent: (until) => `En consultation jusqu’au ${until}`,
    draft: 'Brouillon : la consultation s’est close sans assez de voix',
    concernBy: (name) => `Réserve de ${name}`,
    actions: 'Plan d’action',
    noActions: 'Aucune action proposée pour l’instant.',
    actionCols: ['Action', 'Porteur', 'Échéance', 'Indicateur', 'Soutien', 'État'],
    actionStatus: {
      agreed: 'adoptée',
      objected: 'objection',
      proposed: 'proposée',
      supported: 'soutenue',
      contested: 'discutée',
    },
    link: 'message',
    ostrom: 'Lecture d’Ostrom',
    ostromNote:
      'Comment chacune et chacun voit chaque principe dans la communauté aujourd’hui (évaluation de fin d’atelier), et les questions qui en parlent. « Abordé » veut dire que des réponses en parlent, pas que le principe est tenu.',
    ostromCols: [
      'Principe',
      'En place',
      'En partie',
      'Pas encore',
      'Je ne sais pas',
      'Questions liées (réponses)',
    ],
    addressed: 'abordé',
    notAddressed: 'non abordé',
    open: 'Points ouverts',
    noOpen: 'Aucun pour l’instant.',
    pendingOf: {
      none: 'répondu, pas encore de version commune',
      'consent-open': 'version commune en consultation',
      objected: 'objection en cours',
      draft: 'consultation close sans assez de voix',
      agreed: 'adoptée',
    },
    split: (block, author) => `${block} : la réponse de ${author} partage la communauté`,
    notYetPrinciple: (count) =>
      `principe d’Ostrom jugé « pas encore » en place (${plural(count, 'fr', 'personne', 'personnes')})`,
    annex: 'Annexe : ce que chacune et chacun a dit',
    question: 'Question',
    gap: 'À compléter : pas encore de réponse.',
    edited: 'modifiée',
    credits: 'Crédits',
    tool: 'Compilé à partir des réponses de la communauté avec Canevas.',
    members: (n) => plural(n, 'fr', 'membre', 'membres'),
    anonymous: 'Campagne anonyme : les réponses et les positions sont compilées sans nom.',
    forgotten: (n) =>
      n === 1
        ? '1 réponse retirée à la demande d’un·e membre'
        : `${plural(n, 'fr', 'réponse retirée', 'réponses retirées')} à la demande de membres`,
  },
  en: {
    titleSuffix: ' — Governance canvas',
    colon: ': ',
    status: 'Status',
    statusOf: {
      scheduled: 'workshop not started yet',
      running: 'draft under discussion (workshop running)',
      paused: 'draft under discussion (workshop paused)',
      completed: 'workshop finished',
      cancelled: 'workshop stopped before the end',
    },
    workshop: 'Workshop',
    fromTo: (from, to) => `${from} to ${to}`,
    people: 'People',
    answers: 'Answers',
    agreedCount: 'Agreed',
    agreedOf: (agreed, total) =>
      `${plural(agreed, 'en', 'shared statement', 'shared statements')} of ${total} questions`,
    review: 'Next review',
    howToRead: 'What the community agreed by consent comes first; everyone’s answers are in the annex.',
    agreed: 'What we agreed',
    fiche: 'Sheet',
    noStatementFor: 'No shared statement yet',
    version: (n) => `(version ${n})`,
    agreedBy: (day, names) => `Agreed by consent on ${day} (${names})`,
    withConcerns: (n) => `, with ${plural(n, 'en', 'concern', 'concerns')}`,
    objected: 'Objection standing: the proposed text is to be revised',
    underConsent: (until) => `Open for consent until ${until}`,
    draft: 'Draft: the consent round closed without enough voices',
    concernBy: (name) => `Concern from ${name}`,
    actions: 'Action plan',
    noActions: 'No action proposed yet.',
    actionCols: ['Action', 'Owner', 'Due', 'Indicator', 'Support', 'State'],
    actionStatus: {
      agreed: 'agreed',
      objected: 'objected',
      proposed: 'proposed',
      supported: 'supported',
      contested: 'debated',
    },
    link: 'message',
    ostrom: 'Ostrom’s principles',
    ostromNote:
      'How each member sees each principle in the community today (the assessment near the end of the workshop), and the questions that speak to it. “Addressed” means that some answers speak to it, not that the principle is met.',
    ostromCols: ['Principle', 'In place', 'Partly', 'Not yet', 'Don’t know', 'Related questions (answers)'],
    addressed: 'addressed',
    notAddressed: 'not addressed yet',
    open: 'Open questions',
    noOpen: 'None for now.',
    pendingOf: {
      none: 'answered, no shared statement yet',
      'consent-open': 'shared statement open for consent',
      objected: 'objection standing',
      draft: 'consent round closed without enough voices',
      agreed: 'agreed',
    },
    split: (block, author) => `${block}: the community is split on ${author}’s answer`,
    notYetPrinciple: (count) =>
      `Ostrom’s principle seen as “not yet” in place (${plural(count, 'en', 'person', 'people')})`,
    annex: 'Annex: what everyone said',
    question: 'Question',
    gap: 'Not answered yet.',
    edited: 'edited',
    credits: 'Credits',
    tool: 'Compiled from the community’s answers with Canevas.',
    members: (n) => plural(n, 'en', 'member', 'members'),
    anonymous: 'Anonymous campaign: answers and stances are compiled without names.',
    forgotten: (n) =>
      n === 1
        ? '1 answer removed at a member’s request'
        : `${plural(n, 'en', 'answer', 'answers')} removed at members’ request`,
  },
};
