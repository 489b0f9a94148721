import type { ChannelRef, Lang, Person, PlatformName } from './facilitation/types.js';
import type { Inbound } from './inbound.js';
import type { RequestHandler } from './web/http-server.js';

/**
 * How a platform writes text. The core renders every message through mustache with these, so a
 * member's words are escaped for the platform they are quoted back on and markup follows its syntax.
 */
export interface TextFormat {
  /** Make a member's text inert: no mention, no @everyone/@here, no link or markup survives. */
  escape(text: string): string;
  bold(text: string): string;
  italic(text: string): string;
  /** A block quote of already-escaped text (every line quoted). */
  quote(text: string): string;
  link(url: string, label: string): string;
  /**
   * A mention that notifies the person (a nudge to members who opted in). Only the core calls it, with
   * ids the platform gave; an id that does not look like the platform's own is written as the name.
   */
  mention(person: Person): string;
}

export type PostKind =
  | 'intro'
  | 'round'
  | 'question'
  | 'reminder'
  | 'progress'
  | 'summary'
  | 'digest'
  | 'notice'
  | 'export'
  | 'echo'
  | 'consent'
  | 'stance'
  | 'action-consent';

/** The parts of a question an adapter may lay out itself (Block Kit, embeds). Already escaped. */
export interface QuestionParts {
  blockId: string;
  ficheTitle: string;
  blockTitle: string;
  question: string;
  example: string;
  hints: string[];
  /** 1-based position in the campaign and how many blocks there are. */
  position: number;
  total: number;
  /** The campaign's language: the Answer button and its form speak it (see answerFormWords). */
  lang: Lang;
  /**
   * When the question closes, in the campaign's language and zone ("jeudi 10 décembre, 10 h" /
   * "Thursday 10 December, 10:00"), to follow "until"; absent when no run of the cadence is due.
   */
  deadline?: string;
}

/**
 * A button of the core's own (shared statements, stances, actions). The adapter draws it and sends its
 * `id` back through `Inbound.press`; buttons with the same `group` are drawn together (one row).
 */
export interface ActionButton {
  id: string;
  label: string;
  style?: 'primary' | 'danger';
  group?: string;
}

/** A workshop round's post, for the adapter to add its buttons (Remind me). */
export interface RoundParts {
  roundId: string;
  /** The campaign's language: the buttons speak it (see remindWords). */
  lang: Lang;
}

export interface OutboundFile {
  name: string;
  contentType: string;
  /**
   * The file's bytes, built by the outbox worker when it posts (never stored in a job or in Redis) and
   * given as they are to the platform's upload: no base64 copy on the way.
   */
  data: Buffer;
  /** What a screen reader says in place of a picture, in the campaign's language. */
  alt?: string;
}

/** One message to a channel: what the outbox queue carries to a platform. */
export interface OutboundPost {
  kind: PostKind;
  /** Rendered text, in the platform's format. */
  text: string;
  /** Post as a reply in this thread (a question post's ref). */
  threadRef?: string;
  question?: QuestionParts;
  round?: RoundParts;
  /** The core's own buttons, after the text (and after the adapter's own, such as Answer). */
  buttons?: ActionButton[];
  /**
   * The ids of the people the text mentions with `TextFormat.mention`: the only ones a platform may
   * let the post notify (Discord's allowed_mentions); nobody else, never @channel, @here or @everyone.
   */
  mentions?: string[];
  file?: OutboundFile;
  /** Stable identity of the post: a retried job with the same key must not post twice. */
  dedupeKey: string;
}

/** An earlier try of a post whose outcome is unknown (a crash during the call, a 5xx or a timeout). */
export interface PostAttempt {
  /** When that earlier try began (ISO 8601): the post, if it was made, is not older. */
  uncertainSince: string;
}

/** The port each adapter implements to send what the core decided. */
export interface ChatPlatform {
  readonly name: PlatformName;
  readonly format: TextFormat;
  /**
   * Posts and returns the platform's id for the message (Slack ts, Discord id...). With `attempt`,
   * an earlier try may already have reached the platform: the adapter looks the post up by its
   * dedupe key and returns the ref it finds instead of posting again.
   */
  post(channel: ChannelRef, post: OutboundPost, attempt?: PostAttempt): Promise<{ ref: string }>;
  /** Replaces the content of an earlier post (the living progress message). */
  update(channel: ChannelRef, ref: string, post: OutboundPost): Promise<void>;
  /**
   * A link that opens a message (an answer, in its question's thread) for the exports; undefined when
   * the platform cannot make one without asking.
   */
  permalink?(channel: ChannelRef, ref: { messageRef: string; threadRef?: string }): string | undefined;
}

/**
 * What an adapter gives the composition root: the outbound port (used by workers), and for serving,
 * its HTTP routes on the one server and/or a connection it opens (Socket Mode, Discord gateway).
 */
export interface PlatformAdapter {
  readonly platform: ChatPlatform;
  /** Routes on the shared HTTP server (e.g. POST /slack/events); returns false for other paths. */
  readonly routes?: RequestHandler;
  /** Starts receiving (gateway, socket) and feeding `inbound`; only in processes that serve. */
  start?(inbound: Inbound): Promise<void>;
  stop(): Promise<void>;
}
