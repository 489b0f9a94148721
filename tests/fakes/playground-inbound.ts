import type {
  AnswerInput,
  CommandInput,
  EditInput,
  EphemeralReply,
  Inbound,
  OpenThread,
  PressReply,
  ReactionInput,
  RemoveInput,
  SubmitReply,
} from '../../src/inbound.js';

/** Stands in for the engine: questions are the threads the test declares, answers up to 200 characters. */
export class FakeInbound implements Inbound {
  readonly questions = new Set<string>();
  readonly answers = new Map<string, string>();
  readonly commands: CommandInput[] = [];
  readonly edits: EditInput[] = [];
  readonly removals: RemoveInput[] = [];

  async command(input: CommandInput): Promise<EphemeralReply> {
    this.commands.push(input);
    if (input.text === 'help') return { ok: true, text: '**Usage**: /canevas start' };
    if (!input.actor.isAdmin) return { ok: false, error: 'not-admin', text: 'Only an admin may do that.' };
    return { ok: true, text: `Done: ${input.text}` };
  }

  async answer(input: AnswerInput): Promise<EphemeralReply | null> {
    if (!this.questions.has(input.threadRef)) return null;
    const refusal = refuse(input.text);
    if (refusal) return refusal;
    this.answers.set(input.messageRef, input.text);
    return { ok: true, text: 'Answer recorded.' };
  }

  async editAnswer(input: EditInput): Promise<EphemeralReply | null> {
    this.edits.push(input);
    if (!this.answers.has(input.messageRef)) return null;
    const refusal = refuse(input.text);
    if (refusal) return refusal;
    this.answers.set(input.messageRef, input.text);
    return { ok: true, text: '' };
  }

  async openThreads(): Promise<OpenThread[]> {
    return [];
  }

  async removeAnswer(input: RemoveInput): Promise<void> {
    this.removals.push(input);
    this.answers.delete(input.messageRef);
  }

  readonly reactions: ReactionInput[] = [];

  async react(input: ReactionInput): Promise<void> {
    this.reactions.push(input);
  }

  async press(): Promise<PressReply> {
    return { ok: false, error: 'bad-argument', text: 'This fake has no core buttons.' };
  }

  async submitForm(): Promise<SubmitReply> {
    return { ok: false, error: 'bad-argument', text: 'This fake has no core forms.' };
  }
}

function refuse(text: string): EphemeralReply | undefined {
  if (text.trim() === '') return { ok: false, error: 'empty-answer', text: 'Your answer is empty.' };
  if (text.length > 200)
    return { ok: false, error: 'answer-too-long', text: 'Your answer is too long: 200 characters at most.' };
  return undefined;
}
