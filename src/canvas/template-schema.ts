import { z } from 'zod';

/** A text in both languages the bot speaks. */
export const localText = z.object({
  fr: z.string().trim().min(1),
  en: z.string().trim().min(1),
});
export type LocalText = z.infer<typeof localText>;

const blockId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'a block id looks like "fiche.name" (lowercase, digits, _)');

export const blockTemplate = z.object({
  id: blockId,
  title: localText,
  /** What the block must find out (CANVAS.md's intent). */
  intent: localText,
  /** The question posted in the channel. */
  question: localText,
  hints: z.array(localText).min(1).max(3),
  /** An example answer, from the template's running example community. */
  example: localText,
});
export type BlockTemplate = z.infer<typeof blockTemplate>;

export const ficheTemplate = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  number: z.number().int().positive(),
  title: localText,
  intro: localText,
  blocks: z.array(blockTemplate).min(1),
});
export type FicheTemplate = z.infer<typeof ficheTemplate>;

export const synthesisArea = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: localText,
  /** Where the area sits on the synthesis sheet. */
  placement: z.enum(['header', 'body', 'footer']),
  blocks: z.array(blockId).min(1),
});
export type SynthesisArea = z.infer<typeof synthesisArea>;

export const ostromPrinciple = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: localText,
  blocks: z.array(blockId).min(1),
});
export type OstromPrinciple = z.infer<typeof ostromPrinciple>;

/** A few related blocks of one fiche, asked together with one deadline. */
export const roundTemplate = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  title: localText,
  blocks: z.array(blockId).min(1),
});
export type RoundTemplate = z.infer<typeof roundTemplate>;

export const canvasTemplate = z.object({
  version: z.literal(1),
  name: localText,
  /** The running example community the examples follow. */
  example: z.object({ name: z.string().min(1), description: localText }),
  credit: localText,
  fiches: z.array(ficheTemplate).min(1),
  /** The order the blocks are asked in, grouped; without it, each block is a round of its own. */
  rounds: z.array(roundTemplate).min(1).optional(),
  synthesis: z.array(synthesisArea),
  ostrom: z.array(ostromPrinciple).default([]),
});
export type CanvasTemplate = z.infer<typeof canvasTemplate>;
