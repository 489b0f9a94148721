import type {
  AnswerInput,
  CommandInput,
  EditInput,
  EphemeralReply,
  FormSpec,
  Inbound,
  OpenThread,
  PressInput,
  PressReply,
  ReactionInput,
  RemoveInput,
  SubmitInput,
  SubmitReply,
  WorkspaceCampaign,
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
    // As `/canevas statement` does: the reply carries a form to open.
    if (input.text.startsWith('statement'))
      return { ok: true, text: 'An action', form: everyKindOfField('fake|form|command') };
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

  async workspaceCampaigns(): Promise<WorkspaceCampaign[]> {
    return [];
  }

  async workspaceRemoved(): Promise<{ ended: number; dropped: number }> {
    return { ended: 0, dropped: 0 };
  }

  async removeAnswer(input: RemoveInput): Promise<void> {
    this.removals.push(input);
    this.answers.delete(input.messageRef);
  }

  readonly reactions: ReactionInput[] = [];

  async react(input: ReactionInput): Promise<void> {
    this.reactions.push(input);
  }

  readonly presses: PressInput[] = [];
  readonly submissions: SubmitInput[] = [];

  /**
   * `fake|form…` opens a form with a field of every kind, named apart from its button (the core's are
   * named alike, but need not be); `fake|reply…` answers; the rest is refused.
   */
  async press(input: PressInput): Promise<PressReply> {
    this.presses.push(input);
    if (input.buttonId.startsWith('fake|form'))
      return { ok: true, text: 'An action', form: everyKindOfField(`${input.buttonId}|form`) };
    if (input.buttonId.startsWith('fake|reply')) return { ok: true, text: `Pressed ${input.buttonId}.` };
    return { ok: false, error: 'bad-argument', text: 'This fake has no such button.' };
  }

  /** A form from `press`: a date before 2000 is refused at its field; anything else is kept. */
  async submitForm(input: SubmitInput): Promise<SubmitReply> {
    if (!input.formId.startsWith('fake|form'))
      return { ok: false, error: 'bad-argument', text: 'This fake has no such form.' };
    const due = input.values.due ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(due) || due < '2000')
      return { ok: false, text: 'A date from 2000 on.', errors: { due: 'A date from **2000** on.' } };
    this.submissions.push(input);
    return { ok: true, text: `Action noted: ${input.values.what}.` };
  }
}

function everyKindOfField(id: string): FormSpec {
  return {
    id,
    title: 'An action',
    cancel: 'Cancel',
    submit: 'Propose',
    fields: [
      { id: 'what', label: 'What', kind: 'text', required: true, value: 'Draft the charter', maxLength: 300 },
      { id: 'notes', label: 'Notes', kind: 'long-text', required: false, value: 'One.\nTwo.' },
      {
        id: 'circle',
        label: 'Circle',
        kind: 'select',
        required: true,
        value: 'comm',
        options: [
          { value: 'gov', label: 'Governance' },
          { value: 'comm', label: 'Communication' },
        ],
      },
      { id: 'due', label: 'By when', kind: 'date', required: true, value: '2027-03-31' },
    ],
  };
}

function refuse(text: string): EphemeralReply | undefined {
  if (text.trim() === '') return { ok: false, error: 'empty-answer', text: 'Your answer is empty.' };
  if (text.length > 200)
    return { ok: false, error: 'answer-too-long', text: 'Your answer is too long: 200 characters at most.' };
  return undefined;
}
