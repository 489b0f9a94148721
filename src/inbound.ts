import type { Actor, ChannelRef, Person, PlatformName, UserErrorId } from './facilitation/types.js';
import type { WorkspaceCampaign, WorkspaceRef } from './workspaces.js';

export type { WorkspaceCampaign, WorkspaceRef } from './workspaces.js';

/** A `/canevas …` command as an adapter received it. */
export interface CommandInput {
  channel: ChannelRef;
  actor: Actor;
  /** Everything after `/canevas`, e.g. `start lang:en cadence:weekly`. */
  text: string;
}

/** A message in a thread, which is an answer when the thread is a question's. */
export interface AnswerInput {
  channel: ChannelRef;
  threadRef: string;
  /** The platform's id of the message (or of the modal submission). */
  messageRef: string;
  author: Person;
  text: string;
  source: 'thread' | 'modal' | 'playground';
  /**
   * Called once the answer is saved (before it is applied): where a platform must be told
   * "received" in time (a Discord interaction's deferral), it is told then and not before.
   */
  onAccepted?: () => Promise<void>;
}

export interface EditInput {
  channel: ChannelRef;
  threadRef: string;
  messageRef: string;
  text: string;
  /** Who edited, when the platform says: an edit by anyone but the answer's author changes nothing. */
  author?: Person;
}

export interface RemoveInput {
  channel: ChannelRef;
  threadRef: string;
  messageRef: string;
}

/** A reaction put on or taken off a message of the channel (an answer's support when it is one). */
export interface ReactionInput {
  channel: ChannelRef;
  /** The platform's id of the message reacted to. */
  messageRef: string;
  person: Person;
  /** The emoji as the platform gives it: Unicode (👍🏽) or Slack's name (`+1::skin-tone-3`). */
  emoji: string;
  added: boolean;
}

/** A press on one of the core's own buttons (`ActionButton.id`), by the person who pressed it. */
export interface PressInput {
  channel: ChannelRef;
  actor: Actor;
  buttonId: string;
}

export type FormFieldKind = 'text' | 'long-text' | 'select' | 'date';

export interface FormField {
  id: string;
  label: string;
  kind: FormFieldKind;
  required: boolean;
  /** Pre-filled text (or the selected option). */
  value?: string;
  options?: { value: string; label: string }[];
  maxLength?: number;
}

/** A form the core asks the adapter to open (Slack modal, Discord modal, playground dialog). */
export interface FormSpec {
  /** Sent back with the values through `Inbound.submitForm`. */
  id: string;
  title: string;
  submit: string;
  /** The close button's words, in the campaign's language. */
  cancel: string;
  fields: FormField[];
}

/** What a press gets: a reply to show the one who pressed, or (with `form`) a form to open for them. */
export type PressReply = EphemeralReply;

export interface SubmitInput {
  channel: ChannelRef;
  actor: Actor;
  formId: string;
  values: Record<string, string>;
}

/** A refused submission says which field is wrong, so the form stays open with the message at it. */
export type SubmitReply = EphemeralReply | { ok: false; text: string; errors: Record<string, string> };

/** What to show the one person who acted, rendered in their platform's format. */
export interface EphemeralReply {
  ok: boolean;
  text: string;
  /** Why it was refused (an error id such as `campaign-ended`), for adapters that answer in kind. */
  error?: UserErrorId;
  /** A form to open for the one who typed the command (`statement`); `text` stands in where none can be. */
  form?: FormSpec;
}

/** A question thread of a running or paused campaign. */
export interface OpenThread {
  channel: ChannelRef;
  threadRef: string;
  campaignId: string;
  blockId: string;
  /** Id of the newest answer stored for the block (platform ids such as Discord's sort by time). */
  lastAnswerRef?: string;
  /** Every answer stored for the block and not removed, with its text: catch-up finds edits and deletes. */
  answers: { ref: string; text: string }[];
}

/** What adapters call: the core's whole inbound surface. */
export interface Inbound {
  command(input: CommandInput): Promise<EphemeralReply>;
  /** null when the thread is not a question's (not an answer, nothing to say). */
  answer(input: AnswerInput): Promise<EphemeralReply | null>;
  editAnswer(input: EditInput): Promise<EphemeralReply | null>;
  removeAnswer(input: RemoveInput): Promise<void>;
  /** Saved before it returns; a reaction that is not a support emoji, or not on an answer, changes nothing. */
  react(input: ReactionInput): Promise<void>;
  /** A press on a core button: a reply, or a form to open. Refusals change nothing. */
  press(input: PressInput): Promise<PressReply>;
  /** A filled form: applied, or refused with the field at fault. */
  submitForm(input: SubmitInput): Promise<SubmitReply>;
  /** Threads to catch up on after a reconnect (answers are idempotent by message id). */
  openThreads(platform: PlatformName): Promise<OpenThread[]>;
  /** A workspace's campaigns, newest first, with their canvas links (the app's home page lists them). */
  workspaceCampaigns(ref: WorkspaceRef): Promise<WorkspaceCampaign[]>;
  /**
   * The app was removed from a workspace, or lost its access: every campaign there ends as with `stop`
   * but posts nothing, and the posts still queued for them are given up. Idempotent.
   */
  workspaceRemoved(ref: WorkspaceRef): Promise<{ ended: number; dropped: number }>;
}
