/**
 * @module Campaign definitions for tests on every side (backend, tray client, console), valid as written.
 * Imported as `@fixpoint/protocol/testing`; never part of the wire contracts.
 */
import type { CampaignDefinitionInput } from '../campaigns';

/**
 * A survey with every question type and each kind of branch:
 * intro → satisfied (yes → nps, no → why) → why → details → nps (promoter → end, detractor → improve) → improve → rating.
 */
export function sampleCampaign(overrides: Partial<CampaignDefinitionInput> = {}): CampaignDefinitionInput {
  return {
    slug: 'laptop-survey',
    name: 'Laptop survey',
    description: 'How happy are people with their laptops?',
    urgency: 'normal',
    allowPostpone: true,
    allowDecline: true,
    postponeDelaySec: 3600,
    branding: { title: { en: 'IT department', fr: 'Service informatique' }, accentColor: '#0055aa' },
    defaultLanguage: 'en',
    parameters: [
      { name: 'deadline', required: true, description: 'When the restart happens' },
      { name: 'device', default: 'your computer' },
    ],
    questions: [
      { id: 'intro', type: 'info', text: { en: 'Hi **{user}**, we would like to know how {{device}} works for you.\nIt takes *one minute*.', fr: 'Bonjour **{user}**.' } },
      {
        id: 'satisfied',
        type: 'single',
        text: { en: 'Are you satisfied with {{device}}?', fr: 'Êtes-vous satisfait ?' },
        choices: [
          { id: 'yes', label: { en: 'Yes', fr: 'Oui' }, next: 'nps' },
          { id: 'no', label: { en: 'No', fr: 'Non' } },
        ],
      },
      {
        id: 'why',
        type: 'multiple',
        text: { en: 'What is wrong?' },
        choices: [
          { id: 'slow', label: { en: 'It is slow' } },
          { id: 'crashes', label: { en: 'It crashes' } },
          { id: 'battery', label: { en: 'Battery life' } },
        ],
      },
      { id: 'details', type: 'text', text: { en: 'Anything else?' }, maxLength: 500, placeholder: { en: 'Tell us more' } },
      {
        id: 'nps',
        type: 'nps',
        text: { en: 'Would you recommend IT support to a colleague?' },
        minLabel: { en: 'Not at all' },
        maxLabel: { en: 'Absolutely' },
        branches: { promoter: 'end', detractor: 'improve' },
      },
      { id: 'improve', type: 'text', text: { en: 'What should we improve?' }, required: true, maxLength: 200 },
      { id: 'rating', type: 'scale', text: { en: 'Rate the restart by {{deadline}}' }, min: 1, max: 5, minLabel: { en: 'Bad' }, maxLabel: { en: 'Great' } },
    ],
    finalMessage: { en: 'Thank you, {user}!', fr: 'Merci, {user} !' },
    ...overrides,
  };
}
