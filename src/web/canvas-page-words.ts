import type { BlockQuestionStatus } from '../canvas/canvas-types.js';
import type { CampaignStatus, Lang, OstromRating, StatementStatus } from '../facilitation/types.js';
import { plural } from '../render/view-helpers.js';

/** Every word the canvas page prints itself; member text and template titles come from the canvas. */
export interface PageWords {
  skip: string;
  contents: string;
  progress: string;
  blocksAnswered(answered: number, total: number): string;
  /** A campaign status as a whole phrase, since word order differs between the languages. */
  status: Record<CampaignStatus, string>;
  question: Record<BlockQuestionStatus, string>;
  startedOn(date: string): string;
  answers(count: number): string;
  contributors(count: number): string;
  synthesis: string;
  synthesisIntro: string;
  sheetLabel: string;
  sheetCaption: string;
  download: string;
  downloadSvg: string;
  downloadPng: string;
  fiche(number: number): string;
  questionLabel: string;
  gap: string;
  gapArea: string;
  by: string;
  edited: string;
  /** The block's shared version, by where it stands. */
  statement: Record<Exclude<StatementStatus, 'none'>, string>;
  statementVersion(n: number): string;
  agree: string;
  disagree: string;
  link: string;
  more(count: number): string;
  readAll: string;
  ostrom: string;
  ostromIntro: string;
  rating: Record<OstromRating, string>;
  ratingsLabel: string;
  rated(rating: string, count: number): string;
  openPrinciple: string;
  principleCovered(count: number): string;
  principleGap: string;
  people: string;
  nobody: string;
  generatedOn(date: string): string;
  /** An anonymous campaign's people section: a count and why there are no names. */
  anonymous: string;
  /** Answers removed at their authors' request: how many, never what or whose. */
  forgotten(count: number): string;
}

export const WORDS: Record<Lang, PageWords> = {
  fr: {
    skip: 'Aller au contenu',
    contents: 'Sommaire',
    progress: 'Progression',
    blocksAnswered: (answered, total) =>
      `${plural(answered, 'fr', 'bloc', 'blocs')} sur ${total} ${answered > 1 ? 'renseignés' : 'renseigné'}`,
    status: {
      scheduled: 'Campagne prête à démarrer',
      running: 'Campagne en cours',
      paused: 'Campagne en pause',
      completed: 'Campagne terminée',
      cancelled: 'Campagne arrêtée',
    },
    question: {
      pending: 'pas encore posée',
      open: 'question ouverte',
      closed: 'question close',
      skipped: 'question passée',
      'not-planned': 'hors de cette campagne',
    },
    startedOn: (date) => `commencée le ${date}`,
    answers: (count) => plural(count, 'fr', 'réponse', 'réponses'),
    contributors: (count) => `${plural(count, 'fr', 'personne a', 'personnes ont')} répondu`,
    synthesis: 'Synthèse',
    synthesisIntro:
      'La feuille de synthèse rassemble les réponses des trois fiches\u00A0: identité, règles, structure, carte de la communauté, actions, indicateurs et cap.',
    sheetLabel: 'Feuille de synthèse A3 (image)',
    sheetCaption: 'La feuille A3, telle qu’elle s’imprime.',
    download: 'Télécharger la feuille',
    downloadSvg: 'Télécharger la feuille (SVG)',
    downloadPng: 'Télécharger la feuille (PNG)',
    fiche: (number) => `Fiche ${number}`,
    questionLabel: 'Question\u00A0:',
    gap: 'À compléter\u00A0: pas encore de réponse',
    gapArea: 'À compléter\u00A0: aucune réponse dans cette zone',
    by: 'par',
    edited: 'modifiée',
    statement: {
      agreed: 'Version commune adoptée par consentement',
      'consent-open': 'Version commune en consultation',
      objected: 'Version commune\u00A0: objection en cours',
      draft: 'Version commune\u00A0: brouillon, consultation close sans assez de voix',
    },
    statementVersion: (n) => `version ${n}`,
    agree: 'd’accord',
    disagree: 'pas d’accord',
    link: 'voir le message',
    more: (count) => `+ ${plural(count, 'fr', 'autre réponse', 'autres réponses')}`,
    readAll: 'tout lire',
    ostrom: 'Les huit principes d’Ostrom',
    rating: {
      'in-place': 'En place',
      partly: 'En partie',
      'not-yet': 'Pas encore',
      unknown: 'Je ne sais pas',
    },
    ratingsLabel: 'Comment les membres le voient',
    rated: (rating, count) => `${rating}\u00A0: ${count}`,
    openPrinciple: 'Pour la plupart, pas encore en place\u00A0: une question ouverte pour la communauté.',
    ostromIntro:
      'Elinor Ostrom a décrit huit principes que partagent les communs qui durent. Chacun est relié ici aux blocs du canevas qui en parlent\u202F; un principe sans réponse reste à compléter et à discuter.',
    principleCovered: (count) => `Abordé\u00A0: ${plural(count, 'fr', 'réponse', 'réponses')}`,
    principleGap: 'Non abordé\u00A0: à compléter',
    people: 'Contributeurs et contributrices',
    nobody: 'Personne n’a encore répondu.',
    generatedOn: (date) => `Page compilée le ${date}.`,
    anonymous: 'Campagne anonyme : les réponses sont compilées sans nom.',
    forgotten: (count) =>
      count === 1
        ? '1 réponse retirée à la demande d’un·e membre'
        : `${plural(count, 'fr', 'réponse retirée', 'réponses retirées')} à la demande de membres`,
  },
  en: {
    skip: 'Skip to content',
    contents: 'Contents',
    progress: 'Progress',
    blocksAnswered: (answered, total) => `${answered} of ${total} blocks answered`,
    status: {
      scheduled: 'Campaign ready to start',
      running: 'Campaign running',
      paused: 'Campaign paused',
      completed: 'Campaign completed',
      cancelled: 'Campaign stopped',
    },
    question: {
      pending: 'not asked yet',
      open: 'question open',
      closed: 'question closed',
      skipped: 'question skipped',
      'not-planned': 'not part of this campaign',
    },
    startedOn: (date) => `started on ${date}`,
    answers: (count) => plural(count, 'en', 'answer', 'answers'),
    contributors: (count) => `${plural(count, 'en', 'person has', 'people have')} answered`,
    synthesis: 'Synthesis',
    synthesisIntro:
      'The synthesis sheet gathers the answers of the three fiches: identity, rules, structure, community map, actions, indicators and outlook.',
    sheetLabel: 'A3 synthesis sheet (image)',
    sheetCaption: 'The A3 sheet, as it prints.',
    download: 'Download the sheet',
    downloadSvg: 'Download the sheet (SVG)',
    downloadPng: 'Download the sheet (PNG)',
    fiche: (number) => `Fiche ${number}`,
    questionLabel: 'Question:',
    gap: 'Not answered yet',
    gapArea: 'No answers in this area yet',
    by: 'by',
    edited: 'edited',
    statement: {
      agreed: 'Shared statement, agreed by consent',
      'consent-open': 'Shared statement, open for consent',
      objected: 'Shared statement: objection standing',
      draft: 'Shared statement: draft, its consent round closed without enough voices',
    },
    statementVersion: (n) => `version ${n}`,
    agree: 'agree',
    disagree: 'disagree',
    link: 'see the message',
    more: (count) => `+ ${plural(count, 'en', 'more answer', 'more answers')}`,
    readAll: 'read all',
    ostrom: 'Ostrom’s eight principles',
    rating: { 'in-place': 'In place', partly: 'Partly', 'not-yet': 'Not yet', unknown: 'Don’t know' },
    ratingsLabel: 'How members see it',
    rated: (rating, count) => `${rating}: ${count}`,
    openPrinciple: 'Not yet in place, for most: an open question for the community.',
    ostromIntro:
      'Elinor Ostrom described eight principles shared by commons that last. Each is linked here to the canvas blocks that speak to it; a principle with no answer is still to be discussed.',
    principleCovered: (count) => `Addressed: ${plural(count, 'en', 'answer', 'answers')}`,
    principleGap: 'Not addressed yet',
    people: 'Contributors',
    nobody: 'Nobody has answered yet.',
    generatedOn: (date) => `Page compiled on ${date}.`,
    anonymous: 'Anonymous campaign: answers are compiled without names.',
    forgotten: (count) =>
      count === 1
        ? '1 answer removed at a member’s request'
        : `${plural(count, 'en', 'answer', 'answers')} removed at members’ request`,
  },
};
