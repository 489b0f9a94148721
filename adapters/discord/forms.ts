import {
  type APILabelComponent,
  type APIModalInteractionResponseCallbackData,
  type APIStringSelectComponent,
  type APITextInputComponent,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from 'discord.js';
import type { FormField, FormSpec } from '../../src/index.js';
import { clip } from './split.js';

/** Discord's limits for a modal: https://discord.com/developers/docs/components/reference */
const MAX_COMPONENTS = 5;
const CUSTOM_ID_LIMIT = 100;
const TITLE_LIMIT = 45;
const LABEL_LIMIT = 45;
const VALUE_LIMIT = 4000;
const MAX_OPTIONS = 25;
const OPTION_LIMIT = 100;

/**
 * A core form as a Discord modal, its custom id the form's own (the core's form ids are at most 100
 * characters, like a custom id). Each field is a label over a text input (text, long text, a date typed
 * as YYYY-MM-DD) or a string select. Undefined when Discord cannot show it (too many fields, too long an id).
 */
export function modalOf(form: FormSpec): APIModalInteractionResponseCallbackData | undefined {
  if (form.id.length > CUSTOM_ID_LIMIT || form.fields.length > MAX_COMPONENTS) return undefined;
  return {
    custom_id: form.id,
    title: clip(form.title, TITLE_LIMIT),
    components: form.fields.map(labelOf),
  };
}

function labelOf(field: FormField): APILabelComponent {
  return {
    type: ComponentType.Label,
    label: clip(field.label, LABEL_LIMIT),
    component: field.kind === 'select' ? selectOf(field) : textInputOf(field),
  };
}

function textInputOf(field: FormField): APITextInputComponent {
  const max = Math.min(field.maxLength ?? VALUE_LIMIT, VALUE_LIMIT);
  return {
    type: ComponentType.TextInput,
    custom_id: field.id,
    style: field.kind === 'long-text' ? TextInputStyle.Paragraph : TextInputStyle.Short,
    required: field.required,
    max_length: max,
    // The label spells the format in the campaign's language; the example of today's date needs none.
    ...(field.kind === 'date' ? { placeholder: new Date().toISOString().slice(0, 10) } : {}),
    ...(field.value ? { value: field.value.slice(0, max) } : {}),
  };
}

function selectOf(field: FormField): APIStringSelectComponent {
  return {
    type: ComponentType.StringSelect,
    custom_id: field.id,
    required: field.required,
    min_values: field.required ? 1 : 0,
    max_values: 1,
    options: (field.options ?? []).slice(0, MAX_OPTIONS).map((o) => ({
      label: clip(o.label, OPTION_LIMIT),
      value: o.value.slice(0, OPTION_LIMIT),
      ...(o.value === field.value ? { default: true } : {}),
    })),
  };
}

/** What was filled in, by field id: a text input's text, a select's choice ('' for none). */
export function valuesOf(i: ModalSubmitInteraction): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [id, field] of i.fields.fields) {
    if (field.type === ComponentType.TextInput) values[id] = field.value;
    else if (field.type === ComponentType.StringSelect) values[id] = field.values[0] ?? '';
  }
  return values;
}
