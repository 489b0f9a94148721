import type { Campaign } from '../../src/facilitation/types.js';

/**
 * What the « je → nous » contract needs from a platform, in the platform's own terms turned into plain
 * data: every method drives the real adapter through its fake server (or the playground's HTTP API)
 * and reads back what the platform shows. `raw` keeps the platform's own shape for the checks that
 * stay in each platform's file.
 */
export interface JeNousDriver {
  /** The platform ids of the three people: Ada is the channel's admin, Ben and Chloé members. */
  users: { ada: string; ben: string; chloe: string };
  /** `/canevas start` by Ada, in English; resolves once round 1's `questions` questions are asked. */
  start(): Promise<void>;
  /** `/canevas <words>` (`next`, `export json`, `statement block:def.purpose`…): a reply or a form. */
  command(user: string, words: string): Promise<Outcome>;
  /** A member's message in a question's thread; resolves with the message's id on the platform. */
  answer(user: string, questionPost: string, text: string): Promise<string>;
  /** Puts (or takes off) a 👍 (`support`) or another emoji (`other`) on a message. */
  react(user: string, message: string, emoji: 'support' | 'other', on?: boolean): Promise<void>;
  /** Presses a button of a post, by its id: a reply to the presser alone, or a form. */
  press(user: string, post: string, button: string): Promise<Outcome>;
  /** Sends a form back with these values (a field left out is left empty). */
  submit(user: string, form: ContractForm, values: Record<string, string>): Promise<Submitted>;
  /** The `n`-th round post, once it and `questions` questions after it are all in. */
  roundPost(n: number, questions: number): Promise<ContractPost>;
  /** A post as the platform shows it now (edited in place, or not). */
  post(id: string): Promise<ContractPost>;
  /** The bot's replies in a post's thread, as the platform shows them now. */
  threadReplies(post: string): Promise<ContractPost[]>;
  /** The text of the `nth` exported file of this format posted in the channel, once it is there. */
  exported(format: 'json' | 'md', nth: number): Promise<string>;
  /** Follows an answer's permalink and checks it opens that answer. */
  openPermalink(link: string, answer: string): Promise<void>;
  campaign(): Promise<Campaign>;
  /** Everything queued is applied and posted, so a comparison does not race it. */
  settled(): Promise<void>;
  /** What a refusal must leave as it was (the campaign and the channel), once settled. */
  snapshot(): Promise<unknown>;
}

export interface ContractButton {
  id: string;
  label: string;
  primary: boolean;
}

export interface ContractPost {
  id: string;
  /** The text people read (a message's text, or an embed's description). */
  text: string;
  /** The core's buttons only (write, stance, revise, action, Ostrom), in order; not Answer or Remind me. */
  buttons: ContractButton[];
  raw: unknown;
}

export interface ContractField {
  id: string;
  label: string;
  kind: 'text' | 'long-text' | 'date' | 'select';
  required: boolean;
  /** What the field is filled with when the form opens. */
  value?: string;
  maxLength?: number;
  options?: string[];
}

export interface ContractForm {
  id: string;
  title: string;
  fields: ContractField[];
  raw: unknown;
}

/** A press or a command: the form it opened, or what the presser alone was told. */
export type Outcome = { form: ContractForm; reply?: undefined } | { reply: string; form?: undefined };

/** A form sent back: accepted (and what the sender was told), or refused with a message per field. */
export type Submitted =
  | { accepted: true; reply: string }
  | { accepted: false; errors: Record<string, string> };
